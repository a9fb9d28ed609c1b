using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Redis;

public sealed class RedisDailyQuotaStoreTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private readonly string _prefix = GatewayNode.NewPrefix();
    private readonly string _callerId = CallerIdentity.Compute("quota-test-key-" + Guid.NewGuid());

    // Real time: the key expires one hour after the window ends, so the window must not be in the past.
    private readonly QuotaWindow _window = QuotaWindow.Containing(DateTimeOffset.UtcNow, 0);

    [Fact]
    public async Task TryConsumeAsync_TwoInstancesUnderConcurrency_GrantExactlyLimit()
    {
        const int Limit = 50;
        await using var a = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var b = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);

        var grants = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? a : b).Quota.TryConsumeAsync(_callerId, _window, Limit, CancellationToken.None))));
        var next = await a.Quota.TryConsumeAsync(_callerId, _window, Limit, CancellationToken.None);

        Assert.Equal(Limit, grants.Count(g => g.Granted));
        Assert.Equal(Enumerable.Range(1, Limit).Select(i => (long)i), grants.Where(g => g.Granted).Select(g => g.Used).Order());
        Assert.All(grants, g => Assert.True(g.Shared));
        Assert.False(next.Granted);
        Assert.Equal(Limit, next.Used);
        Assert.Equal(0, next.Remaining);
    }

    [Fact]
    public async Task RefundAsync_GrantedRequest_GivesOneBack()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        var first = await node.Quota.TryConsumeAsync(_callerId, _window, 2, CancellationToken.None);
        await node.Quota.TryConsumeAsync(_callerId, _window, 2, CancellationToken.None);
        var refused = await node.Quota.TryConsumeAsync(_callerId, _window, 2, CancellationToken.None);

        await node.Quota.RefundAsync(first);
        var again = await node.Quota.TryConsumeAsync(_callerId, _window, 2, CancellationToken.None);

        Assert.False(refused.Granted);
        Assert.True(again.Granted);
        Assert.Equal(2, again.Used);
    }

    [Fact]
    public async Task RefundAsync_NothingCounted_DoesNotGoBelowZero()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        var granted = await node.Quota.TryConsumeAsync(_callerId, _window, 5, CancellationToken.None);

        await node.Quota.RefundAsync(granted);
        await node.Quota.RefundAsync(granted);
        var next = await node.Quota.TryConsumeAsync(_callerId, _window, 5, CancellationToken.None);

        Assert.Equal(1, next.Used);
    }

    [Fact]
    public async Task TryConsumeAsync_NewWindow_StartsFromZero()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        var tomorrow = new QuotaWindow(_window.End, _window.End.AddDays(1));
        await node.Quota.TryConsumeAsync(_callerId, _window, 1, CancellationToken.None);
        var refusedToday = await node.Quota.TryConsumeAsync(_callerId, _window, 1, CancellationToken.None);

        var firstTomorrow = await node.Quota.TryConsumeAsync(_callerId, tomorrow, 1, CancellationToken.None);

        Assert.False(refusedToday.Granted);
        Assert.True(firstTomorrow.Granted);
        Assert.Equal(1, firstTomorrow.Used);
        Assert.Equal(tomorrow, firstTomorrow.Window);
    }

    [Fact]
    public async Task TryConsumeAsync_Granted_KeyExpiresOneHourAfterWindowEnd()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        var key = $"{_prefix}:quota:{_callerId}:{_window.Id}";

        await node.Quota.TryConsumeAsync(_callerId, _window, 10, CancellationToken.None);
        var ttl = await probe.Database.KeyTimeToLiveAsync(key);
        var expireAt = await probe.Database.KeyExpireTimeAsync(key);

        Assert.NotNull(ttl);
        Assert.True(ttl > TimeSpan.Zero);
        Assert.Equal(_window.End.AddHours(1).UtcDateTime, expireAt);
    }
}
