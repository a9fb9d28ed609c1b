using System.Buffers;
using System.IO.Pipelines;
using AgentSphere.Policies.Caching;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Caching;

/// <summary>The memory tiers, deterministically on a fake clock; Redis is not configured.</summary>
public sealed class TieredOutputCacheStoreTests
{
    private static readonly string[] NoTags = [];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetAsync_AfterSet_HitsL1()
    {
        var store = CacheStores.InMemory(_clock);
        var body = CacheStores.Body(10);

        await store.SetAsync("k", body, NoTags, CacheStores.LongLife, CancellationToken.None);
        var found = await store.GetAsync("k", CancellationToken.None);

        Assert.Same(body, found);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(1, stats.Hits(OutputCacheTier.L1));
        Assert.Equal(0, stats.Hits(OutputCacheTier.L2));
        Assert.Equal(1, stats.Sets);
        Assert.False(store.UsesRedis);
    }

    [Fact]
    public async Task GetAsync_AfterL1Lifetime_HitsL2AndPromotesIntoL1()
    {
        var store = CacheStores.InMemory(_clock, o => (o.L1MaxLifetime, o.L2MaxLifetime) = (TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300)));
        await store.SetAsync("k", CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(60));
        var fromL2 = await store.GetAsync("k", CancellationToken.None);
        var promoted = store.L1.Contains("k", _clock.GetUtcNow());
        var fromL1 = await store.GetAsync("k", CancellationToken.None);

        Assert.NotNull(fromL2);
        Assert.True(promoted);
        Assert.NotNull(fromL1);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(1, stats.Hits(OutputCacheTier.L2));
        Assert.Equal(1, stats.Hits(OutputCacheTier.L1));
        Assert.Equal(1, stats.Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Expired));
        Assert.Equal(0, stats.Misses);
    }

    [Fact]
    public async Task GetAsync_PromotedFromL2_LivesOnlyForRemainingLifetime()
    {
        var store = CacheStores.InMemory(_clock, o => (o.L1MaxLifetime, o.L2MaxLifetime) = (TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300)));
        await store.SetAsync("k", CacheStores.Body(10), NoTags, TimeSpan.FromSeconds(100), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull(await store.GetAsync("k", CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(38));
        var justBeforeExpiry = await store.GetAsync("k", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await store.GetAsync("k", CancellationToken.None);

        Assert.NotNull(justBeforeExpiry);
        Assert.Null(atExpiry);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(1, stats.Hits(OutputCacheTier.L1));
        Assert.Equal(1, stats.Misses);
        Assert.Equal(0, store.L1.Count);
        Assert.Equal(0, store.L2.Count);
    }

    [Fact]
    public async Task GetAsync_PastEachTierLifetime_ExpiresTierByTier()
    {
        var store = CacheStores.InMemory(_clock, o => (o.L1MaxLifetime, o.L2MaxLifetime) = (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        await store.SetAsync("k", CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);
        var start = _clock.GetUtcNow();

        var inL1Before = store.L1.Contains("k", start + TimeSpan.FromSeconds(9.9));
        var inL1After = store.L1.Contains("k", start + TimeSpan.FromSeconds(10));
        var inL2Before = store.L2.Contains("k", start + TimeSpan.FromSeconds(19.9));
        var inL2After = store.L2.Contains("k", start + TimeSpan.FromSeconds(20));
        _clock.Advance(TimeSpan.FromSeconds(20));
        var found = await store.GetAsync("k", CancellationToken.None);

        Assert.True(inL1Before);
        Assert.False(inL1After);
        Assert.True(inL2Before);
        Assert.False(inL2After);
        Assert.Null(found);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(1, stats.Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Expired));
        Assert.Equal(1, stats.Evictions(OutputCacheTier.L2, OutputCacheEvictionReason.Expired));
        Assert.Equal(1, stats.Misses);
    }

    [Fact]
    public async Task GetAsync_ShortValidFor_NeverServedPastIt()
    {
        var store = CacheStores.InMemory(_clock);
        await store.SetAsync("k", CacheStores.Body(10), NoTags, TimeSpan.FromSeconds(5), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        var before = await store.GetAsync("k", CancellationToken.None);
        _clock.Advance(TimeSpan.FromTicks(1));
        var after = await store.GetAsync("k", CancellationToken.None);

        Assert.NotNull(before);
        Assert.Null(after);
    }

    [Fact]
    public async Task GetAsync_EvictedFromL1ByCount_HitsL2()
    {
        var store = CacheStores.InMemory(_clock, o => o.L1MaxEntries = 2);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await store.SetAsync(key, CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);
        }

        var inL1 = store.L1.Contains("a", _clock.GetUtcNow());
        var found = await store.GetAsync("a", CancellationToken.None);

        Assert.False(inL1);
        Assert.NotNull(found);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(1, stats.Hits(OutputCacheTier.L2));
        Assert.Equal(2, stats.Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Capacity));
        Assert.Equal(2, store.L1.Count);
    }

    [Fact]
    public async Task SetAsync_OverEntryCount_EvictsLeastRecentlyUsed()
    {
        var store = CacheStores.InMemory(_clock, o => o.L1MaxEntries = 3);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await store.SetAsync(key, CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);
        }

        await store.GetAsync("a", CancellationToken.None);
        await store.SetAsync("d", CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);

        var now = _clock.GetUtcNow();
        Assert.True(store.L1.Contains("a", now));
        Assert.False(store.L1.Contains("b", now));
        Assert.True(store.L1.Contains("c", now));
        Assert.True(store.L1.Contains("d", now));
        Assert.Equal(4, store.L2.Count);
        Assert.Equal(1, store.Statistics.Snapshot().Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Capacity));
    }

    [Fact]
    public async Task SetAsync_OverByteBound_EvictsLeastRecentlyUsedUntilUnder()
    {
        var store = CacheStores.InMemory(_clock, o => (o.L1MaxBytes, o.MaxEntryBytes) = (1000, 1000));
        await store.SetAsync("a", CacheStores.Body(400), NoTags, CacheStores.LongLife, CancellationToken.None);
        await store.SetAsync("b", CacheStores.Body(400), NoTags, CacheStores.LongLife, CancellationToken.None);
        await store.GetAsync("a", CancellationToken.None);

        await store.SetAsync("c", CacheStores.Body(400), NoTags, CacheStores.LongLife, CancellationToken.None);
        var afterC = (store.L1.Count, store.L1.Bytes, HasB: store.L1.Contains("b", _clock.GetUtcNow()));
        await store.SetAsync("big", CacheStores.Body(900), NoTags, CacheStores.LongLife, CancellationToken.None);

        Assert.Equal((2, 800L, false), afterC);
        Assert.Equal(1, store.L1.Count);
        Assert.Equal(900, store.L1.Bytes);
        Assert.True(store.L1.Contains("big", _clock.GetUtcNow()));
        Assert.Equal(3, store.Statistics.Snapshot().Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Capacity));
        Assert.Equal(4, store.L2.Count);
    }

    [Fact]
    public async Task SetAsync_LargerThanMaxEntryBytes_StoresInNoTier()
    {
        var store = CacheStores.InMemory(_clock, o => o.MaxEntryBytes = 100);
        IOutputCacheBufferStore buffers = store;

        await store.SetAsync("array", CacheStores.Body(101), ["t"], CacheStores.LongLife, CancellationToken.None);
        await buffers.SetAsync("sequence", new ReadOnlySequence<byte>(CacheStores.Body(101)), new[] { "t" }, CacheStores.LongLife, CancellationToken.None);
        await store.SetAsync("fits", CacheStores.Body(100), ["t"], CacheStores.LongLife, CancellationToken.None);

        Assert.Null(await store.GetAsync("array", CancellationToken.None));
        Assert.Null(await store.GetAsync("sequence", CancellationToken.None));
        Assert.NotNull(await store.GetAsync("fits", CancellationToken.None));
        Assert.Equal(1, store.L1.Count);
        Assert.Equal(1, store.L2.Count);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(2, stats.RejectedTooLarge);
        Assert.Equal(1, stats.Sets);
    }

    [Fact]
    public async Task SetAsync_NonPositiveValidFor_StoresNothing()
    {
        var store = CacheStores.InMemory(_clock);

        await store.SetAsync("k", CacheStores.Body(10), NoTags, TimeSpan.Zero, CancellationToken.None);

        Assert.Null(await store.GetAsync("k", CancellationToken.None));
        Assert.Equal(0, store.Statistics.Snapshot().Sets);
    }

    [Fact]
    public async Task SetAsync_AfterSweepInterval_DropsExpiredEntries()
    {
        var store = CacheStores.InMemory(_clock);
        await store.SetAsync("short", CacheStores.Body(10), NoTags, TimeSpan.FromSeconds(1), CancellationToken.None);
        await store.SetAsync("long", CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);

        _clock.Advance(MemoryCacheTier.SweepInterval);
        await store.SetAsync("next", CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);

        Assert.Equal(2, store.L1.Count);
        Assert.Equal(2, store.L2.Count);
        Assert.Equal(1, store.Statistics.Snapshot().Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Expired));
    }

    [Fact]
    public async Task EvictByTagAsync_EntriesInBothTiers_RemovesEveryEntryWithTheTag()
    {
        var store = CacheStores.InMemory(_clock, o => o.L1MaxEntries = 2);
        await store.SetAsync("a", CacheStores.Body(10), ["x"], CacheStores.LongLife, CancellationToken.None);
        await store.SetAsync("b", CacheStores.Body(10), ["x", "y", "x"], CacheStores.LongLife, CancellationToken.None);
        await store.SetAsync("c", CacheStores.Body(10), ["y"], CacheStores.LongLife, CancellationToken.None);

        await store.EvictByTagAsync("x", CancellationToken.None);

        var now = _clock.GetUtcNow();
        Assert.False(store.L1.Contains("a", now) || store.L2.Contains("a", now));
        Assert.False(store.L1.Contains("b", now) || store.L2.Contains("b", now));
        Assert.True(store.L1.Contains("c", now) && store.L2.Contains("c", now));
        Assert.Null(await store.GetAsync("a", CancellationToken.None));
        Assert.Null(await store.GetAsync("b", CancellationToken.None));
        var stats = store.Statistics.Snapshot();
        Assert.Equal(1, stats.Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Tag));
        Assert.Equal(2, stats.Evictions(OutputCacheTier.L2, OutputCacheEvictionReason.Tag));

        await store.EvictByTagAsync("y", CancellationToken.None);

        Assert.Equal(0, store.L1.Count + store.L2.Count);
        Assert.Equal(0, store.L1.Bytes + store.L2.Bytes);
        Assert.Equal(3, store.Statistics.Snapshot().Evictions(OutputCacheTier.L2, OutputCacheEvictionReason.Tag));
    }

    [Fact]
    public async Task SetAsync_SameKeyAgain_ReplacesEntryAndItsTags()
    {
        var store = CacheStores.InMemory(_clock);
        await store.SetAsync("k", CacheStores.Body(10, 1), ["old"], CacheStores.LongLife, CancellationToken.None);

        await store.SetAsync("k", CacheStores.Body(20, 2), ["new"], CacheStores.LongLife, CancellationToken.None);
        await store.EvictByTagAsync("old", CancellationToken.None);

        Assert.Equal(CacheStores.Body(20, 2), await store.GetAsync("k", CancellationToken.None));
        Assert.Equal(1, store.L1.Count);
        Assert.Equal(20, store.L1.Bytes);
    }

    [Fact]
    public async Task TryGetAsync_Hit_WritesBodyToPipe()
    {
        var store = CacheStores.InMemory(_clock);
        IOutputCacheBufferStore buffers = store;
        var first = new byte[] { 1, 2, 3 };
        var source = TestSequence.Of(first, [4, 5]);
        await buffers.SetAsync("k", source, new[] { "t" }, CacheStores.LongLife, CancellationToken.None);
        first[0] = 99;
        var pipe = new Pipe();

        var found = await buffers.TryGetAsync("k", pipe.Writer, CancellationToken.None);
        var missing = await buffers.TryGetAsync("other", pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();

        Assert.True(found);
        Assert.False(missing);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, read.Buffer.ToArray());
        await store.EvictByTagAsync("t", CancellationToken.None);
        Assert.Null(await store.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task Snapshot_MixedTraffic_CountsEachOutcome()
    {
        var store = CacheStores.InMemory(_clock, o => (o.L1MaxLifetime, o.MaxEntryBytes) = (TimeSpan.FromSeconds(10), 50));
        await store.SetAsync("a", CacheStores.Body(10), ["t"], CacheStores.LongLife, CancellationToken.None);
        await store.SetAsync("b", CacheStores.Body(10), NoTags, CacheStores.LongLife, CancellationToken.None);
        await store.SetAsync("huge", CacheStores.Body(51), NoTags, CacheStores.LongLife, CancellationToken.None);
        await store.GetAsync("a", CancellationToken.None);
        await store.GetAsync("a", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await store.GetAsync("b", CancellationToken.None);
        await store.GetAsync("missing", CancellationToken.None);
        await store.EvictByTagAsync("t", CancellationToken.None);

        var stats = store.Statistics.Snapshot();

        Assert.Equal(2, stats.Hits(OutputCacheTier.L1));
        Assert.Equal(1, stats.Hits(OutputCacheTier.L2));
        Assert.Equal(0, stats.Hits(OutputCacheTier.Redis));
        Assert.Equal(3, stats.TotalHits);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(2, stats.Sets);
        Assert.Equal(1, stats.RejectedTooLarge);
        // b when looked up, a by the sweep that runs when b is promoted back into L1.
        Assert.Equal(2, stats.Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Expired));
        Assert.Equal(0, stats.Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Tag));
        Assert.Equal(1, stats.Evictions(OutputCacheTier.L2, OutputCacheEvictionReason.Tag));
        Assert.Equal(0, stats.Evictions(OutputCacheTier.Redis, OutputCacheEvictionReason.Tag));
    }

    [Fact]
    public async Task Store_ConcurrentSetsGetsAndEvictions_KeepsBoundsAndBookkeeping()
    {
        var store = CacheStores.InMemory(_clock, o => (o.L1MaxEntries, o.L2MaxEntries, o.L1MaxBytes, o.MaxEntryBytes) = (20, 50, 2000, 200));
        const int Workers = 8;
        const int Iterations = 2000;

        var tasks = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < Iterations; i++)
            {
                var key = $"k{(i * 7 + worker) % 80}";
                switch (i % 5)
                {
                    case 0:
                    case 1:
                        await store.SetAsync(key, CacheStores.Body(10 + (i % 190)), ["all", $"g{i % 4}"], CacheStores.LongLife, CancellationToken.None);
                        break;
                    case 4 when i % 20 == 4:
                        await store.EvictByTagAsync($"g{worker % 4}", CancellationToken.None);
                        break;
                    default:
                        await store.GetAsync(key, CancellationToken.None);
                        break;
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        Assert.InRange(store.L1.Count, 0, 20);
        Assert.InRange(store.L2.Count, 0, 50);
        Assert.InRange(store.L1.Bytes, 0, 2000);
        await store.EvictByTagAsync("all", CancellationToken.None);
        Assert.Equal(0, store.L1.Count + store.L2.Count);
        Assert.Equal(0, store.L1.Bytes + store.L2.Bytes);
        var stats = store.Statistics.Snapshot();
        Assert.Equal(Workers * Iterations * 3 / 5 - Workers * (Iterations / 20), stats.TotalHits + stats.Misses);
    }
}
