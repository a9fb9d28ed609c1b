using System.Security.Cryptography;
using System.Text;
using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class CallerIdentityTests
{
    [Fact]
    public void Compute_ApiKey_IsTheFirstHalfOfItsSha256InLowercaseHex()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("as_live_0123456789")))[..32];

        Assert.Equal(expected, CallerIdentity.Compute("as_live_0123456789"));
    }

    [Fact]
    public void Compute_DifferentKeysOrEndUsers_GiveDifferentIdsAndNeverContainTheKey()
    {
        var key = "as_live_" + new string('k', 600); // longer than the stack buffer
        var plain = CallerIdentity.Compute(key);
        var alice = CallerIdentity.Compute(key, "alice");
        var bob = CallerIdentity.Compute(key, "bob");

        Assert.Equal(3, new HashSet<string> { plain, alice, bob }.Count);
        Assert.Equal(alice, CallerIdentity.Compute(key, "alice"));
        Assert.All([plain, alice, bob], id =>
        {
            Assert.Equal(CallerIdentity.Length, id.Length);
            Assert.DoesNotContain("as_live", id, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Compute_EmptyEndUser_SameAsNoEndUser()
    {
        Assert.Equal(CallerIdentity.Compute("key"), CallerIdentity.Compute("key", ""));
    }
}
