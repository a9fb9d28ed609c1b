using System.Collections.Concurrent;
using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>Counts callers' requests in service across gateway instances in Redis, as expiring leases.</summary>
/// <remarks>
/// Each caller has one sorted set, <c>{prefix}:cc:{callerId}</c>, of lease ids scored by their expiry in Unix milliseconds. The
/// acquire script reads the clock with Redis <c>TIME</c> (so instance clocks never matter), drops expired leases, and adds one with
/// expiry now + <see cref="RedisOptions.LeaseTtl"/> only while fewer than the limit remain, all atomically. This instance renews
/// its held leases every third of the TTL; an instance that dies stops renewing, so its slots free themselves within one TTL.
/// Methods throw on Redis errors (<see cref="FailoverCallerConcurrencyStore"/> handles them), except <see cref="ReleaseAsync"/>.
/// </remarks>
internal sealed partial class RedisCallerConcurrencyStore : ICallerConcurrencyStore, IAsyncDisposable
{
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local inUse = redis.call('ZCARD', KEYS[1])
        if inUse >= tonumber(ARGV[1]) then
          return {0, inUse}
        end
        redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
        if redis.call('PTTL', KEYS[1]) < ttl then
          redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return {1, inUse + 1}
        """;

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
    public async ValueTask<ConcurrencyGrant> TryAcquireAsync(IDatabase database, string callerId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var key = RedisKeys.Concurrency(_keyPrefix, callerId);
        cancellationToken.ThrowIfCancellationRequested();

        // Not canceled mid-flight: the command is bounded by OperationTimeout, and abandoning it could leave an unreleased lease.
        var leaseId = $"{_connection.InstanceId}:{Interlocked.Increment(ref _leaseSequence):x}";
        var result = (RedisValue[]?)await database.ScriptEvaluateAsync(AcquireScript, [key], [limit, leaseId, _leaseTtlMs]);
        if (result is not { Length: 2 })
        {
            throw new RedisException("The concurrency acquire script returned an unexpected result.");
        }

        var inUse = (int)result[1];
        if ((int)result[0] != 1)
        {
            return new ConcurrencyGrant(false, callerId, inUse, limit, null, Shared: true);
        }

        _heldLeases[leaseId] = key;
        return new ConcurrencyGrant(true, callerId, inUse, limit, leaseId, Shared: true);
    }

    public async ValueTask ReleaseAsync(ConcurrencyGrant grant)
    {
        if (!grant.Acquired || !grant.Shared || grant.LeaseId is null)
        {
            return;
        }

        // Stop renewing first: if the removal below fails, the lease expires within one TTL.
        _heldLeases.TryRemove(grant.LeaseId, out _);
        if (!_connection.TryGetDatabaseForCleanup(out var database))
        {
            return;
        }

        try
        {
            await database.SortedSetRemoveAsync(RedisKeys.Concurrency(_keyPrefix, grant.CallerId), grant.LeaseId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (RedisFailures.IsRedisFailure(ex))
            {
                _connection.ReportFailure(ex);
            }

            LogReleaseFailed(_logger, grant.CallerId, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _renewalTimer.DisposeAsync();
        _heldLeases.Clear();
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
        Message = "Releasing a concurrency lease of caller {CallerId} in Redis failed; it expires by itself after the lease TTL")]
    private static partial void LogReleaseFailed(ILogger logger, string callerId, Exception exception);

    [LoggerMessage(EventId = RedisEventIds.LeaseRenewalFailed, Level = LogLevel.Warning,
        Message = "Renewing {Count} concurrency leases in Redis failed; retrying on the next tick")]
    private static partial void LogRenewalFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = RedisEventIds.LeasesLost, Level = LogLevel.Warning,
        Message = "{Count} concurrency leases had expired in Redis before renewal; their requests are no longer counted")]
    private static partial void LogLeasesLost(ILogger logger, int count);
}
