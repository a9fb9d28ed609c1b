using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Redis;

namespace AgentSphere.Policies.Tests.Redis;

public sealed class RedisCallerConcurrencyStoreTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private readonly string _prefix = GatewayNode.NewPrefix();
    private readonly string _callerId = CallerIdentity.Compute("concurrency-test-key-" + Guid.NewGuid());

    [Fact]
    public async Task TryAcquireAsync_UpToLimit_GrantsThenRefuses()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);

        var grants = new List<ConcurrencyGrant>();
        for (var i = 0; i < 4; i++)
        {
            grants.Add(await node.Concurrency.TryAcquireAsync(_callerId, 3, CancellationToken.None));
        }

        Assert.All(grants[..3], g => Assert.True(g.Acquired && g.Shared && g.LeaseId is not null));
        Assert.Equal(new[] { 1, 2, 3 }, grants[..3].Select(g => g.InUse));
        Assert.False(grants[3].Acquired);
        Assert.Equal(3, grants[3].InUse);
        Assert.Null(grants[3].LeaseId);
        Assert.Equal(3, grants.Select(g => g.LeaseId).OfType<string>().Distinct().Count());
    }

    [Fact]
    public async Task ReleaseAsync_AcquiredLease_FreesSlot()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        var held = await node.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);
        var refused = await node.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);

        await node.Concurrency.ReleaseAsync(held);
        var again = await node.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);

        Assert.True(held.Acquired);
        Assert.False(refused.Acquired);
        Assert.True(again.Acquired);
        Assert.Equal(1, again.InUse);
        Assert.Equal(1, node.Concurrency.HeldLeases);
    }

    [Fact]
    public async Task ReleaseAsync_WithNoAcquireToRideOn_ReachesRedisByItself()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var other = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        var held = await node.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);

        await node.Concurrency.ReleaseAsync(held);

        // Nothing else happens on this instance: the release goes on its own after the short flush delay.
        await Eventually.ReturnsAsync(() => probe.Database.SortedSetLengthAsync(RedisKeys.Concurrency(_prefix, _callerId)), n => n == 0, "the lease removed");
        Assert.True((await other.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None)).Acquired);
    }

    [Fact]
    public async Task DisposeAsync_WithAReleaseWaiting_SendsIt()
    {
        var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        var held = await node.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);

        await node.Concurrency.ReleaseAsync(held);
        await node.Concurrency.DisposeAsync();

        Assert.Equal(0, await probe.Database.SortedSetLengthAsync(RedisKeys.Concurrency(_prefix, _callerId)));
        await node.DisposeAsync();
    }

    [Fact]
    public async Task TryAcquireAsync_TwoInstancesUnderHeavyConcurrency_NeverExceedLimit()
    {
        const int Limit = 5;
        const int Requests = 200;
        // A long TTL: a lease must never lapse while held, or the count below would be wrong for another reason.
        static void Ttl(RedisOptions o) => o.LeaseTtl = TimeSpan.FromSeconds(30);
        await using var a = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, Ttl);
        await using var b = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, Ttl);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        var holders = new HighWaterMark();
        var refusals = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        async Task RequestAsync(int index)
        {
            var node = index % 2 == 0 ? a : b;
            while (true)
            {
                deadline.Token.ThrowIfCancellationRequested();
                var grant = await node.Concurrency.TryAcquireAsync(_callerId, Limit, CancellationToken.None);
                if (!grant.Acquired)
                {
                    Interlocked.Increment(ref refusals);
                    await Task.Yield();
                    continue;
                }

                holders.Enter();

                // The request's work: a round trip to Redis, so holders overlap across both instances.
                await probe.Database.PingAsync();
                holders.Exit();
                await node.Concurrency.ReleaseAsync(grant);
                return;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => Task.Run(() => RequestAsync(i))));

        Assert.InRange(holders.Highest, 1, Limit);
        Assert.Equal(Limit, holders.Highest);
        Assert.True(refusals > 0, "the limit never refused anyone, so the test did not exercise it");
        // Releases are batched and sent behind the request: every lease leaves Redis shortly after.
        await Eventually.ReturnsAsync(() => probe.Database.SortedSetLengthAsync($"{_prefix}:cc:{_callerId}"), n => n == 0, "every lease released");
    }

    [Fact]
    public async Task TryAcquireAsync_InstanceDiedHoldingLeases_SlotsFreeAfterLeaseTtl()
    {
        // Two seconds of TTL, so a slow machine cannot let the leases lapse before the first check.
        static void Ttl(RedisOptions o) => o.LeaseTtl = TimeSpan.FromSeconds(2);
        await using var survivor = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, Ttl);
        var dead = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, Ttl);
        Assert.True((await dead.Concurrency.TryAcquireAsync(_callerId, 2, CancellationToken.None)).Acquired);
        Assert.True((await dead.Concurrency.TryAcquireAsync(_callerId, 2, CancellationToken.None)).Acquired);

        await dead.DisposeAsync();
        var refusedAtOnce = await survivor.Concurrency.TryAcquireAsync(_callerId, 2, CancellationToken.None);
        for (var slot = 1; slot <= 2; slot++)
        {
            await Eventually.ReturnsAsync(
                () => survivor.Concurrency.TryAcquireAsync(_callerId, 2, CancellationToken.None).AsTask(),
                g => g.Acquired,
                $"dead instance's lease {slot} to expire",
                TimeSpan.FromSeconds(10));
        }

        var third = await survivor.Concurrency.TryAcquireAsync(_callerId, 2, CancellationToken.None);

        Assert.False(refusedAtOnce.Acquired);
        Assert.False(third.Acquired);
        Assert.Equal(2, survivor.Concurrency.HeldLeases);
    }

    [Fact]
    public async Task TryAcquireAsync_ManyAtOnce_BatchedIntoFewerScriptCallsWithExactCounts()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        await node.Concurrency.TryAcquireAsync(_callerId, 1000, CancellationToken.None); // loads the script
        var before = await ScriptCallsAsync(probe);

        var grants = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => node.Concurrency.TryAcquireAsync(_callerId, 100, CancellationToken.None).AsTask()));
        var calls = await ScriptCallsAsync(probe) - before;

        Assert.Equal(99, grants.Count(g => g.Acquired)); // one slot was taken by the warm-up acquire
        Assert.Equal(Enumerable.Range(2, 99), grants.Where(g => g.Acquired).Select(g => g.InUse).Order());
        Assert.All(grants.Where(g => !g.Acquired), g => Assert.Equal(100, g.InUse));
        Assert.True(calls < 300, $"{calls} script calls for 300 acquires");
    }

    private static async Task<long> ScriptCallsAsync(RedisProbe probe)
    {
        var info = (string)(await probe.Database.ExecuteAsync("INFO", "commandstats"))!;
        long total = 0;
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || line.StartsWith("cmdstat_eval:", StringComparison.Ordinal))
            {
                var calls = line.Split(':')[1].Split(',')[0];
                total += long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [Fact]
    public async Task RenewAsync_HeldLease_StaysAlivePastLeaseTtl()
    {
        // Renewed every third of the TTL: with 6 s a renewal tick may come 4 s late (a loaded CI machine running every test
        // project at once) and the lease still holds.
        static void Ttl(RedisOptions o) => o.LeaseTtl = TimeSpan.FromSeconds(6);
        await using var holder = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, Ttl);
        await using var other = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, Ttl);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        var key = $"{_prefix}:cc:{_callerId}";
        var held = await holder.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);
        var firstExpiry = (long)(await probe.Database.SortedSetScoreAsync(key, held.LeaseId))!.Value;

        // Past the first expiry on the server's clock: without renewal the lease would be gone by then.
        var now = await Eventually.ReturnsAsync(
            probe.ServerTimeMsAsync,
            now => now > firstExpiry + 500,
            "the lease's first expiry to pass on the Redis clock",
            TimeSpan.FromSeconds(15));
        var refused = await other.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None);
        var renewedExpiry = await probe.Database.SortedSetScoreAsync(key, held.LeaseId);

        Assert.True(held.Acquired);
        Assert.False(refused.Acquired);
        Assert.NotNull(renewedExpiry);
        Assert.True(renewedExpiry > now, $"lease expiry {renewedExpiry} is not after server time {now}");
        Assert.True(await probe.Database.KeyTimeToLiveAsync(key) > TimeSpan.Zero);

        // The release reaches Redis with the holder's next batch; the other instance sees the slot free right after.
        await holder.Concurrency.ReleaseAsync(held);
        await Eventually.ReturnsAsync(() => probe.Database.SortedSetLengthAsync(key), n => n == 0, "the lease released");
        Assert.True((await other.Concurrency.TryAcquireAsync(_callerId, 1, CancellationToken.None)).Acquired);
    }

    [Fact]
    public async Task TryAcquireAsync_RawApiKeyAsCallerId_Throws()
    {
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);

        await Assert.ThrowsAsync<ArgumentException>(() => node.Concurrency.TryAcquireAsync("sk-live-raw-api-key", 1, CancellationToken.None).AsTask());
    }
}
