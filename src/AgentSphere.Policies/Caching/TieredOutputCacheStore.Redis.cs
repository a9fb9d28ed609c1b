using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using AgentSphere.Policies.Redis;
using StackExchange.Redis;

namespace AgentSphere.Policies.Caching;

/// <summary>The Redis tier of <see cref="TieredOutputCacheStore"/>.</summary>
/// <remarks>
/// An entry is the string <c>{prefix}:oc:{sha256-hex(key)}</c> holding <see cref="RedisEntryFormat"/> (tags, then body) with a TTL of
/// the full lifetime; its TTL gives the expiry when another instance reads it. Each tag has a sorted set <c>{prefix}:oc:tag:{tag}</c>
/// of entry keys scored by their expiry (Redis <c>TIME</c>), trimmed on every write and expiring with its longest-lived entry. One script
/// deletes a tag's entries and its set and publishes <c>{instanceId}:{tag}</c> on <c>{prefix}:oc:evict</c>, all atomically; every
/// instance but the sender then clears the tag from its memory tiers (pub/sub is at most once: an instance cut off from Redis at that
/// moment misses it and keeps its copies for at most its tier lifetime). The scripts touch keys they are not passed, so this needs a
/// single Redis (or one shard), as the rest of the gateway's shared state does.
/// Redis is never on the failure path: every command is bounded by <see cref="RedisOptions.OperationTimeout"/> on the injected clock,
/// skipped while <see cref="RedisConnection"/> says Redis is unavailable or backing off, and a failure is reported to it, logged once
/// per transition, and turned into a miss or a no-op. A tag eviction that could not reach Redis is remembered (up to
/// <see cref="MaxPendingEvictions"/> tags) and replayed once Redis is back; until the replay has run, lookups skip Redis so they cannot
/// serve what was evicted.
/// </remarks>
internal sealed partial class TieredOutputCacheStore
{
    /// <summary>Most tag evictions remembered for replay while Redis is unavailable.</summary>
    internal const int MaxPendingEvictions = 10_000;

    private const long MaxRedisTtlMs = 10L * 365 * 24 * 60 * 60 * 1000;

    private const string SetScript = """
        local ttl = tonumber(ARGV[2])
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
        if #KEYS > 1 then
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          for i = 2, #KEYS do
            redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
            redis.call('ZADD', KEYS[i], now + ttl, KEYS[1])
            if redis.call('PTTL', KEYS[i]) < ttl then
              redis.call('PEXPIRE', KEYS[i], ttl)
            end
          end
        end
        return 1
        """;

    private const string EvictScript = """
        local members = redis.call('ZRANGE', KEYS[1], 0, -1)
        local removed = 0
        for i = 1, #members, 500 do
          removed = removed + redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
        end
        redis.call('DEL', KEYS[1])
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return removed
        """;

    private readonly RedisConnection? _redis;
    private readonly string _keyPrefix;
    private readonly TimeSpan _operationTimeout;
    private readonly long _subscribeRetryTicks;
    private readonly string _evictChannelName;
    private readonly RedisChannel _evictChannel;
    private readonly Action<RedisChannel, RedisValue> _onEvictionMessage;
    private readonly string _instanceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly ConcurrentDictionary<string, byte> _pendingEvictions = new(StringComparer.Ordinal);
    private ISubscriber? _subscriber;
    private long _subscribeAfterTimestamp = long.MinValue;
    private int _subscribing;
    private int _replaying;
    private int _redisInUse;
    private int _pendingOverflowLogged;
    private long _remoteEvictions;
    private volatile bool _disposed;

    /// <summary>Random id of this store, sent with its eviction announcements so it can ignore its own.</summary>
    internal string InstanceId => _instanceId;

    /// <summary>Whether this store receives other instances' tag evictions.</summary>
    internal bool IsListeningForEvictions => Volatile.Read(ref _subscriber) is not null;

    /// <summary>Tag evictions announced by other instances and applied here.</summary>
    internal long RemoteEvictions => Interlocked.Read(ref _remoteEvictions);

    /// <summary>Tag evictions waiting to be replayed in Redis.</summary>
    internal int PendingEvictions => _pendingEvictions.Count;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_redis is null)
        {
            return;
        }

        _redis.StateChanged -= OnRedisStateChanged;
        if (Interlocked.Exchange(ref _subscriber, null) is { } subscriber)
        {
            Unsubscribe(subscriber);
        }
    }

    private static void ObserveLater(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async ValueTask<(byte[] Body, string[] Tags, TimeSpan TimeToLive)?> TryGetFromRedisAsync(string key, CancellationToken cancellationToken)
    {
        if (!TryGetDatabase(out var database))
        {
            return null;
        }

        if (!_pendingEvictions.IsEmpty)
        {
            StartReplay();
            return null;
        }

        RedisValueWithExpiry result;
        try
        {
            result = await WithTimeoutAsync(database.StringGetWithExpiryAsync(RedisKeys.OutputCacheEntry(_keyPrefix, key)), cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            OnRedisFailure(ex);
            return null;
        }

        OnRedisSuccess();
        if (result.Value.IsNull || result.Expiry is not { } timeToLive || timeToLive <= TimeSpan.Zero)
        {
            return null;
        }

        if (!RedisEntryFormat.TryDecode(((ReadOnlyMemory<byte>)result.Value).Span, out var body, out var tags))
        {
            LogUnreadableRedisEntry(_logger);
            return null;
        }

        return (body, tags, timeToLive);
    }

    private async ValueTask SetInRedisAsync(string key, byte[] body, string[] tags, TimeSpan validFor)
    {
        if (!TryGetDatabase(out var database))
        {
            return;
        }

        StartReplay();
        var keys = new RedisKey[1 + tags.Length];
        keys[0] = RedisKeys.OutputCacheEntry(_keyPrefix, key);
        for (var i = 0; i < tags.Length; i++)
        {
            keys[i + 1] = RedisKeys.OutputCacheTag(_keyPrefix, tags[i]);
        }

        var ttlMs = (long)Math.Clamp(Math.Ceiling(validFor.TotalMilliseconds), 1, MaxRedisTtlMs);
        try
        {
            await WithTimeoutAsync(database.ScriptEvaluateAsync(SetScript, keys, [RedisEntryFormat.Encode(body, tags), ttlMs]), CancellationToken.None);
            OnRedisSuccess();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            OnRedisFailure(ex);
        }
    }

    private async ValueTask EvictFromRedisAsync(string tag)
    {
        if (!TryGetDatabase(out var database))
        {
            RememberPendingEviction(tag);
            return;
        }

        try
        {
            await EvictInRedisAsync(database, tag);
            OnRedisSuccess();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RememberPendingEviction(tag);
            OnRedisFailure(ex);
        }
    }

    /// <summary>Deletes the tag's entries and set in Redis and announces the eviction; throws on Redis errors.</summary>
    private async Task EvictInRedisAsync(IDatabase database, string tag)
    {
        var result = await WithTimeoutAsync(
            database.ScriptEvaluateAsync(EvictScript, [RedisKeys.OutputCacheTag(_keyPrefix, tag)], [_evictChannelName, string.Concat(_instanceId, ":", tag)]),
            CancellationToken.None);
        _statistics.RecordEvictions(OutputCacheTier.Redis, OutputCacheEvictionReason.Tag, (long)result);
    }

    private void RememberPendingEviction(string tag)
    {
        if (_pendingEvictions.Count >= MaxPendingEvictions && !_pendingEvictions.ContainsKey(tag))
        {
            if (Interlocked.Exchange(ref _pendingOverflowLogged, 1) == 0)
            {
                LogPendingEvictionsDropped(_logger, MaxPendingEvictions);
            }

            return;
        }

        _pendingEvictions.TryAdd(tag, 0);
    }

    private void StartReplay()
    {
        if (_pendingEvictions.IsEmpty || _disposed || Interlocked.CompareExchange(ref _replaying, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(ReplayPendingEvictionsAsync);
    }

    private async Task ReplayPendingEvictionsAsync()
    {
        try
        {
            foreach (var tag in _pendingEvictions.Keys)
            {
                if (_disposed || !TryGetDatabase(out var database))
                {
                    return;
                }

                await EvictInRedisAsync(database, tag);
                _pendingEvictions.TryRemove(tag, out _);
            }

            OnRedisSuccess();
            Volatile.Write(ref _pendingOverflowLogged, 0);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            OnRedisFailure(ex);
        }
        finally
        {
            Volatile.Write(ref _replaying, 0);
        }
    }

    private bool TryGetDatabase([NotNullWhen(true)] out IDatabase? database)
    {
        if (_redis is null || !_redis.TryGetDatabase(out database))
        {
            database = null;
            return false;
        }

        EnsureSubscribed();
        return true;
    }

    private async Task<T> WithTimeoutAsync<T>(Task<T> operation, CancellationToken cancellationToken)
    {
        await WithTimeoutAsync((Task)operation, cancellationToken);
        return await operation;
    }

    private async Task WithTimeoutAsync(Task operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation.WaitAsync(_operationTimeout, _timeProvider, cancellationToken);
        }
        catch (Exception) when (!operation.IsCompleted)
        {
            // Abandoned on timeout or cancellation: the command still completes or fails later, and its fault must not go unobserved.
            ObserveLater(operation);
            throw;
        }
    }

    private void OnRedisSuccess()
    {
        _redis?.ReportSuccess();
        if (Interlocked.Exchange(ref _redisInUse, 1) == 0)
        {
            LogRedisTierInUse(_logger, _redis?.Endpoints ?? string.Empty);
        }
    }

    private void OnRedisFailure(Exception exception)
    {
        // Logged before reporting, so the one log line of this transition carries the cause.
        MarkRedisUnavailable(exception);
        if (RedisFailures.IsRedisFailure(exception))
        {
            _redis?.ReportFailure(exception);
        }
    }

    private void MarkRedisUnavailable(Exception? cause)
    {
        if (Interlocked.Exchange(ref _redisInUse, 0) == 1)
        {
            LogRedisTierUnavailable(_logger, _redis?.Endpoints ?? string.Empty, cause);
        }
    }

    private void OnRedisStateChanged(RedisState state)
    {
        if (state != RedisState.Connected)
        {
            MarkRedisUnavailable(null);
            return;
        }

        if (Interlocked.Exchange(ref _redisInUse, 1) == 0)
        {
            LogRedisTierInUse(_logger, _redis?.Endpoints ?? string.Empty);
        }

        EnsureSubscribed();
        StartReplay();
    }

    private void EnsureSubscribed()
    {
        if (_disposed
            || Volatile.Read(ref _subscriber) is not null
            || Volatile.Read(ref _subscribing) != 0
            || _timeProvider.GetTimestamp() < Volatile.Read(ref _subscribeAfterTimestamp)
            || !_redis!.TryGetSubscriber(out var subscriber)
            || Interlocked.CompareExchange(ref _subscribing, 1, 0) != 0)
        {
            return;
        }

        _ = SubscribeAsync(subscriber);
    }

    private async Task SubscribeAsync(ISubscriber subscriber)
    {
        try
        {
            await WithTimeoutAsync(subscriber.SubscribeAsync(_evictChannel, _onEvictionMessage), CancellationToken.None);
            Volatile.Write(ref _subscriber, subscriber);
            if (_disposed && Interlocked.Exchange(ref _subscriber, null) is not null)
            {
                Unsubscribe(subscriber);
                return;
            }

            LogEvictionSubscribed(_logger, _evictChannelName);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The multiplexer registers the handler before it asks the server; take it off so the retry does not add it twice.
            Unsubscribe(subscriber);
            Volatile.Write(ref _subscribeAfterTimestamp, _timeProvider.GetTimestamp() + _subscribeRetryTicks);
            LogEvictionSubscribeFailed(_logger, _evictChannelName, ex);
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    private void Unsubscribe(ISubscriber subscriber)
    {
        try
        {
            subscriber.Unsubscribe(_evictChannel, _onEvictionMessage, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the handler is gone locally either way, and a server-side subscription ends with the connection.
            LogEvictionSubscribeFailed(_logger, _evictChannelName, ex);
        }
    }

    private void OnEvictionMessage(RedisChannel channel, RedisValue message)
    {
        try
        {
            var text = (string?)message;
            var separator = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (separator <= 0 || text.AsSpan(0, separator).SequenceEqual(_instanceId))
            {
                return;
            }

            EvictFromMemory(text![(separator + 1)..]);
            Interlocked.Increment(ref _remoteEvictions);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRemoteEvictionFailed(_logger, ex);
        }
    }
}
