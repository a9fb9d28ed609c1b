using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class InMemoryStoresTests
{
    private static readonly QuotaWindow Today = QuotaWindow.Containing(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), 0);

    [Fact]
    public async Task CallerStore_AtLimit_RefusesUntilReleasedAndForgetsIdleCallers()
    {
        var store = new InMemoryCallerConcurrencyStore();
        var first = await store.TryAcquireAsync("a", 2, default);
        var second = await store.TryAcquireAsync("a", 2, default);
        var third = await store.TryAcquireAsync("a", 2, default);

        Assert.True(first.Acquired);
        Assert.Equal(2, second.InUse);
        Assert.False(third.Acquired);
        Assert.Equal(0, third.Remaining);
        Assert.True((await store.TryAcquireAsync("b", 2, default)).Acquired);

        await store.ReleaseAsync(first);
        await store.ReleaseAsync(third); // not acquired: no effect
        Assert.Equal(1, store.InUse("a"));
        await store.ReleaseAsync(second);
        Assert.Equal(0, store.InUse("a"));
        Assert.Equal(1, store.TrackedCallers);
    }

    [Fact]
    public async Task CallerStore_ManyConcurrentCallers_NeverExceedsTheLimit()
    {
        var store = new InMemoryCallerConcurrencyStore();
        var holders = new HighWaterMark();

        await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(async () =>
        {
            var grant = await store.TryAcquireAsync("a", 5, default);
            if (!grant.Acquired)
            {
                return;
            }

            holders.Enter();
            await Task.Yield();
            holders.Exit();
            await store.ReleaseAsync(grant);
        })));

        Assert.InRange(holders.Highest, 1, 5);
        Assert.Equal(0, store.InUse("a"));
    }

    [Fact]
    public async Task QuotaStore_Limit_GrantsExactlyThatManyPerWindowAndRefunds()
    {
        var store = new InMemoryDailyQuotaStore();
        var grants = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await store.TryConsumeAsync("a", Today, 20, default))));

        Assert.Equal(20, grants.Count(g => g.Granted));
        var refused = grants.First(g => !g.Granted);
        Assert.Equal(20, refused.Used);
        Assert.Equal(0, refused.Remaining);

        await store.RefundAsync(grants.First(g => g.Granted));
        await store.RefundAsync(refused); // not granted: no effect
        Assert.Equal(19, store.Used("a", Today));
        Assert.True((await store.TryConsumeAsync("a", Today, 20, default)).Granted);
    }

    [Fact]
    public async Task QuotaStore_NextWindow_StartsFromZeroAndDropsOldCounts()
    {
        var store = new InMemoryDailyQuotaStore();
        await store.TryConsumeAsync("a", Today, 1, default);
        await store.TryConsumeAsync("b", Today, 1, default);
        var tomorrow = QuotaWindow.Containing(Today.End, 0);

        var grant = await store.TryConsumeAsync("a", tomorrow, 1, default);

        Assert.True(grant.Granted);
        Assert.Equal(1, store.TrackedCallers);
        Assert.Equal(0, store.Used("b", tomorrow));

        // A refund for yesterday's count does not touch today's.
        await store.RefundAsync(new QuotaGrant(true, "a", Today, 1, 1, Shared: false));
        Assert.Equal(1, store.Used("a", tomorrow));
    }

    [Fact]
    public async Task QuotaStore_EveryCountRefunded_ForgetsTheCaller()
    {
        var store = new InMemoryDailyQuotaStore();
        var grants = new List<QuotaGrant>();
        for (var i = 0; i < 1000; i++)
        {
            grants.Add(await store.TryConsumeAsync($"made-up-{i}", Today, 100, default));
        }

        await store.TryConsumeAsync("real", Today, 100, default);
        foreach (var grant in grants)
        {
            await store.RefundAsync(grant);
        }

        Assert.Equal(1, store.TrackedCallers);
        Assert.Equal(1, store.Used("real", Today));
    }
}
