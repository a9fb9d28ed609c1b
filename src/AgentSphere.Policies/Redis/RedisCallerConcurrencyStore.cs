using System.Collections.Concurrent;
using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>Counts callers' requests in service across gateway instances in Redis, as expiring leases.</summary>
/// <remarks>
/// Each caller has one sorted set, <c>{prefix}:cc:{callerId}</c>, of lease ids scored by their expiry in Unix milliseconds. The
/// acquire script reads the clock with Redis <c>TIME</c> (so instance clocks never matter), drops expired leases when they would refuse a request, and adds one with
/// expiry now + <see cref="RedisOptions.LeaseTtl"/> only while fewer than the limit remain, all atomically. This instance renews
/// its held leases every third of the TTL; an instance that dies stops renewing, so its slots free themselves within one TTL.
/// Methods throw on Redis errors (<see cref="FailoverCallerConcurrencyStore"/> handles them), except <see cref="ReleaseAsync"/>.
/// </remarks>
internal sealed partial class RedisCallerConcurrencyStore : ICallerConcurrencyStore, IAsyncDisposable
{
    // One call first releases a batch of leases, then admits a batch of requests in arrival order. ARGV[1] is the lease TTL,
    // ARGV[2] the number of releases r: lease ARGV[2 + j] leaves KEYS[j] for j <= r. Then for request i, KEYS[r + i] is its
    // caller's set, ARGV[2 + r + 2i - 1] its limit and ARGV[2 + r + 2i] its lease id. Returns acquired (0/1) and in-use count
    // for each request, flattened.
    private const string BatchScript = """
        local ttl = tonumber(ARGV[1])
        local r = tonumber(ARGV[2])
        for j = 1, r do
          redis.call('ZREM', KEYS[j], ARGV[2 + j])
        end
        local out = {}
        local n = #KEYS - r
        if n == 0 then
          return out
        end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 1, n do
          local key = KEYS[r + i]
          local limit = tonumber(ARGV[2 + r + 2 * i - 1])
          local inUse = redis.call('ZCARD', key)
          if inUse >= limit then
            -- Expired leases (of an instance that died) only matter when they would refuse someone: drop them then.
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
            inUse = redis.call('ZCARD', key)
          end
          if inUse >= limit then
            out[2 * i - 1] = 0
            out[2 * i] = inUse
          else
            redis.call('ZADD', key, now + ttl, ARGV[2 + r + 2 * i])
            -- Every lease expires at most one TTL from now, so the key may too.
            redis.call('PEXPIRE', key, ttl)
            out[2 * i - 1] = 1
            out[2 * i] = inUse + 1
          end
        end
        return out
        """;

    /// <summary>The most requests one script call carries.</summary>
    private const int MaxBatch = 128;

    private const string RenewScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local renewed = 0
        for i = 2, #ARGV do
          if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
            redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
            renewed = renewed + 1
          end
        end
        if renewed > 0 and redis.call('PTTL', KEYS[1]) < ttl then
          redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return renewed
        """;

    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly string _keyPrefix;
    private readonly long _leaseTtlMs;
    private readonly ConcurrentDictionary<string, string> _heldLeases = new(StringComparer.Ordinal);
    private readonly ITimer _renewalTimer;
    private readonly Lock _batchLock = new();
    private readonly List<PendingAcquire> _pendingAcquires = [];
    private readonly List<(RedisKey Key, RedisValue LeaseId)> _pendingReleases = [];
    private IDatabase? _batchDatabase;
    private bool _sending;
    private Task _pump = Task.CompletedTask;
    private long _leaseSequence;
    private int _renewing;

    public RedisCallerConcurrencyStore(RedisConnection connection, IOptions<RedisOptions> options, TimeProvider timeProvider, ILogger<RedisCallerConcurrencyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _logger = logger;
        _keyPrefix = options.Value.KeyPrefix;
        _leaseTtlMs = (long)options.Value.LeaseTtl.TotalMilliseconds;
        var period = options.Value.LeaseTtl / 3;
        _renewalTimer = timeProvider.CreateTimer(static state => _ = ((RedisCallerConcurrencyStore)state!).RenewOnTickAsync(), this, period, period);
    }

    /// <summary>Leases this instance holds and renews.</summary>
    public int HeldLeases => _heldLeases.Count;

    public ValueTask<ConcurrencyGrant> TryAcquireAsync(string callerId, int limit, CancellationToken cancellationToken)
    {
        if (!_connection.TryGetDatabase(out var database))
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"Redis at {_connection.Endpoints} is unavailable.");
        }

        return TryAcquireAsync(database, callerId, limit, cancellationToken);
    }

    /// <summary>Takes a slot in <paramref name="database"/>; throws on Redis errors.</summary>
    /// <remarks>
    /// Requests are batched: while one script call is on its way, the requests that arrive meanwhile queue up and go together in
    /// the next, with the releases queued before them, in order, so a release always lands before the acquires that follow it.
    /// An idle gateway sends each request at once; a busy one makes one round trip per batch instead of two per request.
    /// </remarks>
    public async ValueTask<ConcurrencyGrant> TryAcquireAsync(IDatabase database, string callerId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var key = RedisKeys.Concurrency(_keyPrefix, callerId);
        cancellationToken.ThrowIfCancellationRequested();

        // Not canceled mid-flight: the command is bounded by OperationTimeout, and abandoning it could leave an unreleased lease.
        var leaseId = $"{_connection.InstanceId}:{Interlocked.Increment(ref _leaseSequence):x}";
        var pending = new PendingAcquire(key, limit, leaseId);
        Enqueue(database, pending, release: default);
        var (acquired, inUse) = await pending.Task.ConfigureAwait(false);
        if (!acquired)
        {
            return new ConcurrencyGrant(false, callerId, inUse, limit, null, Shared: true);
        }

        _heldLeases[leaseId] = key;
        return new ConcurrencyGrant(true, callerId, inUse, limit, leaseId, Shared: true);
    }

    public ValueTask ReleaseAsync(ConcurrencyGrant grant)
    {
        if (!grant.Acquired || !grant.Shared || grant.LeaseId is null)
        {
            return ValueTask.CompletedTask;
        }

        // Stop renewing first: if the removal fails, the lease expires within one TTL.
        if (_heldLeases.TryRemove(grant.LeaseId, out var key) && _connection.TryGetDatabaseForCleanup(out var database))
        {
            Enqueue(database, pending: null, release: (key, grant.LeaseId));
        }

        return ValueTask.CompletedTask;
    }

    private void Enqueue(IDatabase database, PendingAcquire? pending, (RedisKey Key, RedisValue LeaseId) release)
    {
        bool start;
        lock (_batchLock)
        {
            if (pending is not null)
            {
                _pendingAcquires.Add(pending);
            }
            else
            {
                _pendingReleases.Add(release);
            }

            _batchDatabase = database;
            start = !_sending;
            _sending = true;
        }

        // Releases go as soon as they can, not held for this instance's next acquire: a slot freed here must be visible to
        // the other instances, or requests arriving through this one would keep it among themselves.
        if (start)
        {
            Volatile.Write(ref _pump, SendBatchesAsync());
        }
    }

    private async Task SendBatchesAsync()
    {
        // One yield lets requests that are already running on other threads join this batch: under load that turns
        // several round trips into one, and when idle it costs a thread-pool hop. Later batches need none: what arrived
        // while the previous one was on its way is already queued.
        await Task.Yield();
        while (true)
        {
            PendingAcquire[] acquires;
            (RedisKey Key, RedisValue LeaseId)[] releases;
            IDatabase database;
            lock (_batchLock)
            {
                if (_pendingAcquires.Count == 0 && _pendingReleases.Count == 0)
                {
                    _sending = false;
                    return;
                }

                releases = Take(_pendingReleases);
                acquires = Take(_pendingAcquires);
                database = _batchDatabase!;
            }

            await SendBatchAsync(database, releases, acquires).ConfigureAwait(false);
        }
    }

    private async Task SendBatchAsync(IDatabase database, (RedisKey Key, RedisValue LeaseId)[] releases, PendingAcquire[] acquires)
    {
        var keys = new RedisKey[releases.Length + acquires.Length];
        var arguments = new RedisValue[2 + releases.Length + (2 * acquires.Length)];
        arguments[0] = _leaseTtlMs;
        arguments[1] = releases.Length;
        for (var j = 0; j < releases.Length; j++)
        {
            keys[j] = releases[j].Key;
            arguments[2 + j] = releases[j].LeaseId;
        }

        var offset = 2 + releases.Length;
        for (var i = 0; i < acquires.Length; i++)
        {
            keys[releases.Length + i] = acquires[i].Key;
            arguments[offset + (2 * i)] = acquires[i].Limit;
            arguments[offset + (2 * i) + 1] = acquires[i].LeaseId;
        }

        RedisValue[]? result;
        try
        {
            result = (RedisValue[]?)await database.ScriptEvaluateAsync(BatchScript, keys, arguments).ConfigureAwait(false);
            if (result is null || result.Length != 2 * acquires.Length)
            {
                throw new RedisException("The concurrency batch script returned an unexpected result.");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (releases.Length > 0)
            {
                // The leases expire by themselves within one TTL.
                if (acquires.Length == 0 && RedisFailures.IsRedisFailure(ex))
                {
                    _connection.ReportFailure(ex);
                }

                LogReleaseFailed(_logger, releases.Length, ex);
            }

            foreach (var pending in acquires)
            {
                pending.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < acquires.Length; i++)
        {
            acquires[i].TrySetResult(((int)result[2 * i] == 1, (int)result[(2 * i) + 1]));
        }
    }

    private static T[] Take<T>(List<T> pending)
    {
        var count = Math.Min(pending.Count, MaxBatch);
        var taken = pending.GetRange(0, count).ToArray();
        pending.RemoveRange(0, count);
        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        await _renewalTimer.DisposeAsync();
        _heldLeases.Clear();

        // A batch on its way finishes first (it never throws: failures are handed to the waiting requests), then releases
        // queued behind it go now, so a stopping instance frees its callers' slots at once.
        await Volatile.Read(ref _pump).ConfigureAwait(false);
        (RedisKey Key, RedisValue LeaseId)[] releases;
        IDatabase? database;
        lock (_batchLock)
        {
            releases = [.. _pendingReleases];
            _pendingReleases.Clear();
            database = _batchDatabase;
        }

        if (releases.Length > 0 && database is not null)
        {
            await SendBatchAsync(database, releases, []).ConfigureAwait(false);
        }
    }

    /// <summary>Extends every lease this instance holds to now + TTL; one script call per caller key, sent together.</summary>
    internal async Task RenewAsync()
    {
        if (_heldLeases.IsEmpty || !_connection.TryGetDatabaseForCleanup(out var database))
        {
            return;
        }

        var byKey = new Dictionary<string, List<RedisValue>>(StringComparer.Ordinal);
        foreach (var (leaseId, key) in _heldLeases)
        {
            if (!byKey.TryGetValue(key, out var leases))
            {
                leases = [_leaseTtlMs];
                byKey[key] = leases;
            }

            leases.Add(leaseId);
        }

        var calls = new List<(int Sent, Task<RedisResult> Result)>(byKey.Count);
        foreach (var (key, arguments) in byKey)
        {
            calls.Add((arguments.Count - 1, database.ScriptEvaluateAsync(RenewScript, [key], [.. arguments])));
        }

        var lost = 0;
        foreach (var (sent, result) in calls)
        {
            try
            {
                lost += sent - (int)await result;
            }
            catch (Exception ex) when (RedisFailures.IsRedisFailure(ex))
            {
                _connection.ReportFailure(ex);
                LogRenewalFailed(_logger, sent, ex);
            }
        }

        if (lost > 0)
        {
            // Expired before renewal (Redis was unreachable for a whole TTL): those requests run uncounted until they end.
            LogLeasesLost(_logger, lost);
        }
    }

    private async Task RenewOnTickAsync()
    {
        if (Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }

        try
        {
            await RenewAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRenewalFailed(_logger, _heldLeases.Count, ex);
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    [LoggerMessage(EventId = RedisEventIds.LeaseReleaseFailed, Level = LogLevel.Warning,
        Message = "Releasing {Count} concurrency leases in Redis failed; they expire by themselves after the lease TTL")]
    private static partial void LogReleaseFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = RedisEventIds.LeaseRenewalFailed, Level = LogLevel.Warning,
        Message = "Renewing {Count} concurrency leases in Redis failed; retrying on the next tick")]
    private static partial void LogRenewalFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = RedisEventIds.LeasesLost, Level = LogLevel.Warning,
        Message = "{Count} concurrency leases had expired in Redis before renewal; their requests are no longer counted")]
    private static partial void LogLeasesLost(ILogger logger, int count);

    private sealed class PendingAcquire(RedisKey key, int limit, string leaseId) : TaskCompletionSource<(bool Acquired, int InUse)>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public RedisKey Key { get; } = key;

        public int Limit { get; } = limit;

        public string LeaseId { get; } = leaseId;
    }
}
