using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Redis;
using AgentSphere.Policies.Tests.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AgentSphere.Policies.Tests.Caching;

/// <summary>The Redis tier against a real redis-server shared by the class; each test uses its own key prefix, and nodes are separate gateway instances.</summary>
public sealed class TieredOutputCacheStoreRedisTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private readonly string _prefix = GatewayNode.NewPrefix();

    [Fact]
    public async Task GetAsync_SecondInstanceWithEmptyMemory_HitsRedisAndPromotes()
    {
        await using var a = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var b = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        var body = CacheStores.Body(300, 7);
        await a.Store.SetAsync("GET /v1/sandboxes?caller=3f2a", body, ["sandboxes"], CacheStores.LongLife, CancellationToken.None);

        var fromRedis = await b.Store.GetAsync("GET /v1/sandboxes?caller=3f2a", CancellationToken.None);
        var fromL1 = await b.Store.GetAsync("GET /v1/sandboxes?caller=3f2a", CancellationToken.None);

        Assert.Equal(body, fromRedis);
        Assert.Equal(body, fromL1);
        var stats = b.Store.Statistics.Snapshot();
        Assert.Equal(1, stats.Hits(OutputCacheTier.Redis));
        Assert.Equal(1, stats.Hits(OutputCacheTier.L1));
        Assert.Equal(0, stats.Misses);
        Assert.Equal(1, b.Store.L2.Count);
        Assert.Null(await b.Store.GetAsync("GET /v1/other", CancellationToken.None));
        Assert.Equal(1, b.Store.Statistics.Snapshot().Misses);
    }

    [Fact]
    public async Task GetAsync_FromRedis_PromotesForRemainingTtlOnly()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var b = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, clock);
        await a.Store.SetAsync("k", CacheStores.Body(10), ["t"], TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.NotNull(await b.Store.GetAsync("k", CancellationToken.None));
        var promotedAt = clock.GetUtcNow();

        // The TTL Redis reported is at most 20 s and, unless this test stalled for seconds, more than 15 s.
        Assert.True(b.Store.L1.Contains("k", promotedAt + TimeSpan.FromSeconds(15)));
        Assert.True(b.Store.L2.Contains("k", promotedAt + TimeSpan.FromSeconds(15)));
        Assert.False(b.Store.L1.Contains("k", promotedAt + TimeSpan.FromSeconds(20)));
        Assert.False(b.Store.L2.Contains("k", promotedAt + TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task EvictByTagAsync_OnOneInstance_DeletesInRedisAndOtherInstancesDropItFromMemory()
    {
        await using var a = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var b = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        await a.ListeningAsync();
        await b.ListeningAsync();
        await a.Store.SetAsync("k1", CacheStores.Body(10), ["caller:1"], CacheStores.LongLife, CancellationToken.None);
        await a.Store.SetAsync("k2", CacheStores.Body(10), ["caller:1", "list"], CacheStores.LongLife, CancellationToken.None);
        await a.Store.SetAsync("k3", CacheStores.Body(10), ["list"], CacheStores.LongLife, CancellationToken.None);
        foreach (var key in new[] { "k1", "k2", "k3" })
        {
            Assert.NotNull(await b.Store.GetAsync(key, CancellationToken.None));
        }

        await a.Store.EvictByTagAsync("caller:1", CancellationToken.None);

        Assert.False(await probe.Database.KeyExistsAsync(RedisKeys.OutputCacheEntry(_prefix, "k1")));
        Assert.False(await probe.Database.KeyExistsAsync(RedisKeys.OutputCacheEntry(_prefix, "k2")));
        Assert.False(await probe.Database.KeyExistsAsync(RedisKeys.OutputCacheTag(_prefix, "caller:1")));
        Assert.True(await probe.Database.KeyExistsAsync(RedisKeys.OutputCacheEntry(_prefix, "k3")));
        Assert.Equal(2, a.Store.Statistics.Snapshot().Evictions(OutputCacheTier.Redis, OutputCacheEvictionReason.Tag));
        await Eventually.TrueAsync(
            () => !b.Store.L1.Contains("k1", DateTimeOffset.UtcNow) && !b.Store.L1.Contains("k2", DateTimeOffset.UtcNow),
            "the second instance to drop the evicted tag");
        Assert.False(b.Store.L2.Contains("k1", DateTimeOffset.UtcNow) || b.Store.L2.Contains("k2", DateTimeOffset.UtcNow));
        Assert.Null(await b.Store.GetAsync("k1", CancellationToken.None));
        Assert.NotNull(await b.Store.GetAsync("k3", CancellationToken.None));
        Assert.Equal(2, b.Store.Statistics.Snapshot().Evictions(OutputCacheTier.L1, OutputCacheEvictionReason.Tag));

        // a's own announcement went out before b's, on the same channel: by the time a has applied b's, it has seen (and skipped) its own.
        await b.Store.EvictByTagAsync("list", CancellationToken.None);
        await Eventually.TrueAsync(() => a.Store.RemoteEvictions == 1, "the first instance to hear the second's eviction");
        Assert.Equal(1, a.Store.RemoteEvictions);
        Assert.Null(await a.Store.GetAsync("k3", CancellationToken.None));
    }

    [Fact]
    public async Task SetAsync_AnyKey_WritesOnlyHashedEntryKeysAndTagSets()
    {
        var longKey = "GET\u001f/v1/sandboxes/" + new string('x', 10_000) + "?q=a b&c=ü";
        string[] cacheKeys = [longKey, "ключ/🙂?a=1&b=2 with spaces", "line\r\nbreak:and:colons"];
        await using var node = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);

        foreach (var key in cacheKeys)
        {
            await node.Store.SetAsync(key, CacheStores.Body(10), ["caller:3f2a", "sandboxes"], TimeSpan.FromMinutes(2), CancellationToken.None);
        }

        await node.Store.SetAsync("too-large", CacheStores.Body(new ResponseCacheStoreOptions().MaxEntryBytes + 1), ["big"], TimeSpan.FromMinutes(2), CancellationToken.None);
        var keys = (await probe.AllKeysAsync()).Where(k => k.StartsWith(_prefix + ":", StringComparison.Ordinal)).ToList();

        var expectedEntries = cacheKeys.Select(k => $"{_prefix}:oc:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(k)))}");
        string[] expectedTags = [$"{_prefix}:oc:tag:caller:3f2a", $"{_prefix}:oc:tag:sandboxes"];
        Assert.Equal(expectedEntries.Concat(expectedTags).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.All(keys, key => Assert.Matches($"^{Regex.Escape(_prefix)}:oc:([0-9a-f]{{64}}|tag:(caller:3f2a|sandboxes))$", key));
        Assert.All(keys, key => Assert.DoesNotContain("/v1/", key, StringComparison.Ordinal));
        var entryTtl = await probe.Database.KeyTimeToLiveAsync(expectedEntries.First());
        var tagTtl = await probe.Database.KeyTimeToLiveAsync(expectedTags[0]);
        Assert.InRange(entryTtl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.InRange(tagTtl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.Equal(3, await probe.Database.SortedSetLengthAsync(expectedTags[0]));
    }

    [Fact]
    public async Task EvictByTagAsync_WhileRedisBacksOff_ReplaysOnceRedisIsUsableAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix, clock, connectionClock: clock);
        await using var b = await CacheNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        await b.ListeningAsync();
        await a.Store.SetAsync("k", CacheStores.Body(10), ["t"], CacheStores.LongLife, CancellationToken.None);
        Assert.NotNull(await b.Store.GetAsync("k", CancellationToken.None));

        a.Gateway.Connection.ReportFailure(new RedisTimeoutException("simulated", CommandStatus.Sent));
        await a.Store.EvictByTagAsync("t", CancellationToken.None);
        var pendingDuringBackoff = a.Store.PendingEvictions;
        var inRedisDuringBackoff = await probe.Database.KeyExistsAsync(RedisKeys.OutputCacheEntry(_prefix, "k"));
        clock.Advance(a.Gateway.Settings.RetryInterval);
        var whileReplaying = await a.Store.GetAsync("k", CancellationToken.None);

        Assert.Equal(1, pendingDuringBackoff);
        Assert.True(inRedisDuringBackoff);
        Assert.Null(whileReplaying);
        await Eventually.TrueAsync(() => a.Store.PendingEvictions == 0, "the pending eviction to be replayed");
        Assert.False(await probe.Database.KeyExistsAsync(RedisKeys.OutputCacheEntry(_prefix, "k")));
        await Eventually.TrueAsync(() => !b.Store.L1.Contains("k", DateTimeOffset.UtcNow), "the replayed eviction to reach the second instance");
        Assert.Null(await b.Store.GetAsync("k", CancellationToken.None));
        Assert.Single(a.Logger.Entries, e => e.EventId.Id == CachingEventIds.RedisTierUnavailable);
    }

    [Fact]
    public async Task Constructor_UseRedisFalse_KeepsEverythingInMemory()
    {
        await using var gateway = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, _prefix);
        await using var probe = await RedisProbe.ConnectAsync(fixture.Server.ConnectionString);
        using var store = new TieredOutputCacheStore(
            Options.Create(new ResponseCacheStoreOptions { UseRedis = false }), Options.Create(gateway.Settings), gateway.Connection,
            new OutputCacheStatistics(), TimeProvider.System, NullLogger<TieredOutputCacheStore>.Instance);

        await store.SetAsync("k", CacheStores.Body(10), ["t"], CacheStores.LongLife, CancellationToken.None);
        await store.EvictByTagAsync("other", CancellationToken.None);

        Assert.False(store.UsesRedis);
        Assert.NotNull(await store.GetAsync("k", CancellationToken.None));
        Assert.DoesNotContain(await probe.AllKeysAsync(), k => k.StartsWith(_prefix, StringComparison.Ordinal));
    }
}
