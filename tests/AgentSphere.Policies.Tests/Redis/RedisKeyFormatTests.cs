using System.Text.RegularExpressions;
using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Redis;

/// <summary>Owns its server, so every key in it was written by the stores under test.</summary>
public sealed class RedisKeyFormatTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Stores_EveryOperation_WriteOnlyHashedCallerKeys()
    {
        const string ApiKey = "some-api-key";
        var prefix = GatewayNode.NewPrefix();
        var callerId = CallerIdentity.Compute(ApiKey);
        var endUserId = CallerIdentity.Compute(ApiKey, "end-user-7");
        var window = QuotaWindow.Containing(DateTimeOffset.UtcNow, 6);
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);

        foreach (var caller in new[] { callerId, endUserId })
        {
            var lease = await node.FailoverConcurrency.TryAcquireAsync(caller, 3, CancellationToken.None);
            await node.FailoverConcurrency.TryAcquireAsync(caller, 3, CancellationToken.None);
            await node.Concurrency.RenewAsync();
            await node.FailoverConcurrency.ReleaseAsync(lease);
            var quota = await node.FailoverQuota.TryConsumeAsync(caller, window, 3, CancellationToken.None);
            await node.FailoverQuota.TryConsumeAsync(caller, window, 3, CancellationToken.None);
            await node.FailoverQuota.RefundAsync(quota);
        }

        var keys = await probe.AllKeysAsync();

        Assert.Equal(4, keys.Count);
        Assert.All(keys, key => Assert.Matches($"^{Regex.Escape(prefix)}:(cc|quota):[0-9a-f]{{32}}(:.*)?$", key));
        Assert.All(keys, key => Assert.DoesNotContain(ApiKey, key, StringComparison.Ordinal));
        Assert.Contains($"{prefix}:cc:{callerId}", keys);
        Assert.Contains($"{prefix}:quota:{callerId}:{window.Id}", keys);
    }
}
