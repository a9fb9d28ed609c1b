using System.Buffers;
using System.IO.Pipelines;
using AgentSphere.Policies.Redis;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Caching;

/// <summary>The gateway's output cache store: two bounded memory tiers in front of an optional Redis tier shared by every instance.</summary>
/// <remarks>
/// A lookup tries L1, then L2, then Redis, and copies a hit into the tiers above it; a store writes L1 and L2 (each for at most its
/// tier lifetime) and Redis (for the full lifetime). Every entry keeps the absolute expiry it was stored with (read from the injected
/// <see cref="TimeProvider"/>, or from the key's TTL in Redis), and a tier holds it for <c>min(remaining lifetime, tier lifetime)</c>,
/// so nothing is served after it expired. Bodies larger than <see cref="ResponseCacheStoreOptions.MaxEntryBytes"/> are stored nowhere.
/// Tag evictions clear both memory tiers, delete the tag's entries in Redis and are announced on a Redis channel so the other
/// instances clear their memory tiers too; a promotion racing with an eviction is undone (eviction generation). Redis is best-effort:
/// see the <c>.Redis.cs</c> part. No method throws because of Redis; only the caller's own cancellation of a lookup surfaces.
/// </remarks>
internal sealed partial class TieredOutputCacheStore : IOutputCacheBufferStore, IDisposable
{
    /// <summary>Counters behind <see cref="TagGeneration"/>; tags share them by hash, so an eviction may also bump unrelated tags (harmless: one store skipped).</summary>
    private const int TagGenerationStripes = 1024;

    private readonly OutputCacheStatistics _statistics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _maxEntryBytes;
    private readonly long[] _tagGenerations = new long[TagGenerationStripes];
    private long _evictionGeneration;

    public TieredOutputCacheStore(
        IOptions<ResponseCacheStoreOptions> options,
        IOptions<RedisOptions> redisOptions,
        RedisConnection connection,
        OutputCacheStatistics statistics,
        TimeProvider timeProvider,
        ILogger<TieredOutputCacheStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(redisOptions);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        _statistics = statistics;
        _timeProvider = timeProvider;
        _logger = logger;
        _maxEntryBytes = settings.MaxEntryBytes;
        L1 = new MemoryCacheTier(OutputCacheTier.L1, settings.L1MaxEntries, settings.L1MaxBytes, settings.L1MaxLifetime, statistics);
        L2 = new MemoryCacheTier(OutputCacheTier.L2, settings.L2MaxEntries, settings.L2MaxBytes, settings.L2MaxLifetime, statistics);
        statistics.Attach(L1, L2);

        var redis = redisOptions.Value;
        _keyPrefix = redis.KeyPrefix;
        _operationTimeout = redis.OperationTimeout;
        _subscribeRetryTicks = (long)Math.Min(redis.RetryInterval.TotalSeconds * timeProvider.TimestampFrequency, long.MaxValue / 4);
        _evictChannelName = RedisKeys.OutputCacheEvictChannel(redis.KeyPrefix);
        _evictChannel = StackExchange.Redis.RedisChannel.Literal(_evictChannelName);
        _onEvictionMessage = OnEvictionMessage;
        if (!settings.UseRedis || !redis.IsConfigured)
        {
            LogMemoryOnly(_logger, settings.UseRedis ? "Redis:Configuration is not set" : "Caching:Store:UseRedis is false");
            return;
        }

        _redis = connection;
        _redisInUse = connection.State == RedisState.Connected ? 1 : 0;
        connection.StateChanged += OnRedisStateChanged;
        EnsureSubscribed();
    }

    /// <summary>The first memory tier.</summary>
    internal MemoryCacheTier L1 { get; }

    /// <summary>The second memory tier.</summary>
    internal MemoryCacheTier L2 { get; }

    /// <summary>The counters this store records into.</summary>
    internal OutputCacheStatistics Statistics => _statistics;

    /// <summary>Whether the Redis tier is in play at all (configured and not turned off).</summary>
    internal bool UsesRedis => _redis is not null;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => await GetCoreAsync(key, cancellationToken);

    public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var body = await GetCoreAsync(key, cancellationToken);
        if (body is null)
        {
            return false;
        }

        await destination.WriteAsync(body, cancellationToken);
        return true;
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > _maxEntryBytes)
        {
            _statistics.RecordRejectedTooLarge();
            return ValueTask.CompletedTask;
        }

        return SetCoreAsync(key, value, DistinctTags(tags), validFor);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value.Length > _maxEntryBytes)
        {
            _statistics.RecordRejectedTooLarge();
            return ValueTask.CompletedTask;
        }

        // The sequence and the tags are only lent for this call.
        return SetCoreAsync(key, value.ToArray(), DistinctTags(tags.Span), validFor);
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tag);
        EvictFromMemory(tag);
        if (_redis is not null)
        {
            // Not canceled mid-way: the eviction is bounded by OperationTimeout and is remembered for replay if Redis fails.
            await EvictFromRedisAsync(tag);
        }
    }

    private static string[] DistinctTags(ReadOnlySpan<string> tags)
    {
        if (tags.IsEmpty)
        {
            return [];
        }

        var distinct = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            if (!string.IsNullOrEmpty(tag) && !distinct.Contains(tag, StringComparer.Ordinal))
            {
                distinct.Add(tag);
            }
        }

        return [.. distinct];
    }

    private static DateTimeOffset ExpiryAfter(DateTimeOffset now, TimeSpan lifetime) =>
        lifetime >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + lifetime;

    private async ValueTask<byte[]?> GetCoreAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var generation = Volatile.Read(ref _evictionGeneration);
        var now = _timeProvider.GetUtcNow();
        if (L1.TryGet(key, now, out var entry))
        {
            _statistics.RecordHit(OutputCacheTier.L1);
            return entry.Body;
        }

        if (L2.TryGet(key, now, out entry))
        {
            _statistics.RecordHit(OutputCacheTier.L2);
            Promote(key, entry.Body, entry.Tags, entry.Expires, now, generation, intoL2: false);
            return entry.Body;
        }

        if (_redis is not null && await TryGetFromRedisAsync(key, cancellationToken) is { } hit)
        {
            _statistics.RecordHit(OutputCacheTier.Redis);
            if (hit.Body.Length <= _maxEntryBytes)
            {
                now = _timeProvider.GetUtcNow();
                Promote(key, hit.Body, hit.Tags, ExpiryAfter(now, hit.TimeToLive), now, generation, intoL2: true);
            }

            return hit.Body;
        }

        _statistics.RecordMiss();
        return null;
    }

    /// <summary>Copies a lower tier's hit into the tiers above it, unless a tag eviction ran since the lookup began (it may have been for this entry).</summary>
    private void Promote(string key, byte[] body, string[] tags, DateTimeOffset expires, DateTimeOffset now, long generation, bool intoL2)
    {
        if (Volatile.Read(ref _evictionGeneration) != generation)
        {
            return;
        }

        if (intoL2)
        {
            L2.Set(key, body, tags, expires, now);
        }

        L1.Set(key, body, tags, expires, now);

        // An eviction between the check above and the writes would have missed what they wrote: undo them.
        if (Volatile.Read(ref _evictionGeneration) != generation)
        {
            L1.Remove(key);
            if (intoL2)
            {
                L2.Remove(key);
            }
        }
    }

    private async ValueTask SetCoreAsync(string key, byte[] body, string[] tags, TimeSpan validFor)
    {
        if (validFor <= TimeSpan.Zero)
        {
            return;
        }

        _statistics.RecordSet();
        var now = _timeProvider.GetUtcNow();
        var expires = ExpiryAfter(now, validFor);
        L1.Set(key, body, tags, expires, now);
        L2.Set(key, body, tags, expires, now);
        if (_redis is not null)
        {
            await SetInRedisAsync(key, body, tags, validFor);
        }
    }

    /// <summary>
    /// A counter that changes whenever <paramref name="tag"/> is evicted here, by this instance or announced by another. A response read
    /// from the backend before an eviction of one of its tags must not be stored after it: the cache policy compares the counters taken
    /// when the request began with those when its response is complete.
    /// </summary>
    internal long TagGeneration(string tag) => Volatile.Read(ref _tagGenerations[TagStripe(tag)]);

    private static int TagStripe(string tag) => (int)((uint)StringComparer.Ordinal.GetHashCode(tag) % TagGenerationStripes);

    private void EvictFromMemory(string tag)
    {
        Interlocked.Increment(ref _tagGenerations[TagStripe(tag)]);
        Interlocked.Increment(ref _evictionGeneration);
        L1.EvictTag(tag);
        L2.EvictTag(tag);
    }
}
