using AgentSphere.Gateway.Admission;
using AgentSphere.Policies.Admission;

namespace AgentSphere.Gateway.Tests.Admission;

public sealed class CallerIdCacheTests
{
    [Fact]
    public void Get_AnyKeyAndEndUser_GivesTheComputedIds()
    {
        var cache = new CallerIdCache();

        // Many more keys than slots, each asked twice, so hits, misses and replaced slots all occur.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 3000; i++)
            {
                var key = $"key-{i}";
                var endUser = i % 3 == 0 ? $"user-{i % 7}" : string.Empty;

                var (callerId, tenantId) = cache.Get(key, endUser);

                Assert.Equal(CallerIdentity.Compute(key, endUser), callerId);
                Assert.Equal(CallerIdentity.Compute(key), tenantId);
            }
        }
    }

    [Fact]
    public void Get_SameKeyOtherEndUser_GivesAnotherCallerOfTheSameTenant()
    {
        var cache = new CallerIdCache();

        var alice = cache.Get("shared-key", "alice");
        var bob = cache.Get("shared-key", "bob");
        var alone = cache.Get("shared-key", string.Empty);

        Assert.NotEqual(alice.CallerId, bob.CallerId);
        Assert.Equal(alice.TenantId, bob.TenantId);
        Assert.Equal(alone.CallerId, alone.TenantId);
        Assert.Equal(alone.TenantId, alice.TenantId);
        Assert.Equal(alice, cache.Get("shared-key", "alice"));
    }
}
