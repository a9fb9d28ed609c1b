using AgentSphere.Policies.Redis;
using AgentSphere.Policies.Resilience;
using AgentSphere.Policies.Tests.Redis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Resilience;

public sealed class IdempotencyStoreTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly IdempotentResponse Created = new(201, "application/json", null, "{\"sandboxID\":\"abc\"}"u8.ToArray());

    [Fact]
    public async Task InMemory_ClaimCompleteReplayAndExpiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new InMemoryIdempotencyStore(clock);

        var claim = await store.TryClaimAsync("caller", "k", "f1", Lease, default);
        var whileRunning = await store.TryClaimAsync("caller", "k", "f1", Lease, default);
        await store.CompleteAsync("caller", "k", claim.Token!, "f1", Created, Retention);
        var afterwards = await store.TryClaimAsync("caller", "k", "f1", Lease, default);
        var otherCaller = await store.TryClaimAsync("someone-else", "k", "f1", Lease, default);
        clock.Advance(Retention + TimeSpan.FromSeconds(1));
        var expired = await store.TryClaimAsync("caller", "k", "f2", Lease, default);

        Assert.Equal(IdempotencyState.Claimed, claim.State);
        Assert.Equal(IdempotencyState.InProgress, whileRunning.State);
        Assert.Equal(IdempotencyState.Completed, afterwards.State);
        Assert.Equal(Created.Body, afterwards.Response!.Body);
        Assert.Equal(IdempotencyState.Claimed, otherCaller.State);
        Assert.Equal(IdempotencyState.Claimed, expired.State);
    }

    [Fact]
    public async Task InMemory_ReleasedOrLeaseRunOut_CanBeClaimedAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new InMemoryIdempotencyStore(clock);

        var first = await store.TryClaimAsync("caller", "k", "f", Lease, default);
        await store.ReleaseAsync("caller", "k", first.Token!);
        var second = await store.TryClaimAsync("caller", "k", "f", Lease, default);
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var third = await store.TryClaimAsync("caller", "k", "f", Lease, default);
        await store.CompleteAsync("caller", "k", second.Token!, "f", Created, Retention); // too late: not its claim any more
        var fourth = await store.TryClaimAsync("caller", "k", "f", Lease, default);

        Assert.Equal(IdempotencyState.Claimed, second.State);
        Assert.Equal(IdempotencyState.Claimed, third.State);
        Assert.Equal(IdempotencyState.InProgress, fourth.State);
    }

    [Fact]
    public async Task Redis_TwoInstancesRacing_ExactlyOneClaimsAndBothSeeTheCompletion()
    {
        var prefix = GatewayNode.NewPrefix();
        await using var a = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, prefix);
        await using var b = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, prefix);
        var storeA = Failover(a);
        var storeB = Failover(b);

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? storeA : storeB).TryClaimAsync("caller", "race", "f", Lease, default).AsTask()));
        var winner = Assert.Single(claims, c => c.State == IdempotencyState.Claimed);
        await (claims.IndexOf(winner) % 2 == 0 ? storeA : storeB).CompleteAsync("caller", "race", winner.Token!, "f", Created, Retention);
        var seenByA = await storeA.TryClaimAsync("caller", "race", "f", Lease, default);
        var seenByB = await storeB.TryClaimAsync("caller", "race", "f", Lease, default);

        Assert.All(claims.Where(c => c != winner), c => Assert.Equal(IdempotencyState.InProgress, c.State));
        Assert.Equal(IdempotencyState.Completed, seenByA.State);
        Assert.Equal(Created.Body, seenByB.Response!.Body);
        Assert.Equal(201, seenByB.Response.StatusCode);
    }

    [Fact]
    public async Task Redis_Released_CanBeClaimedByTheOtherInstance()
    {
        var prefix = GatewayNode.NewPrefix();
        await using var a = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, prefix);
        await using var b = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, prefix);
        var storeA = Failover(a);
        var storeB = Failover(b);

        var first = await storeA.TryClaimAsync("caller", "released", "f", Lease, default);
        await storeA.ReleaseAsync("caller", "released", first.Token!);
        var second = await storeB.TryClaimAsync("caller", "released", "f", Lease, default);

        Assert.Equal(IdempotencyState.Claimed, second.State);
    }

    private static FailoverIdempotencyStore Failover(GatewayNode node) =>
        new(node.Connection, new RedisIdempotencyStore(node.Connection, Options.Create(node.Settings)), new InMemoryIdempotencyStore(TimeProvider.System));
}

internal static class ArrayExtensions
{
    public static int IndexOf<T>(this T[] array, T item) => Array.IndexOf(array, item);
}
