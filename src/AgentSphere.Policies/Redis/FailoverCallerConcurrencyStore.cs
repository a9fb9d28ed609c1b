using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Redis;

/// <summary>Counts concurrency in Redis while it is available and locally, with a share of each limit, while it is not.</summary>
/// <remarks>
/// A request is served by Redis when <see cref="RedisConnection.TryGetDatabase"/> gives a database; when the Redis call fails, the
/// failure is reported (which starts the back-off) and the same request is served by the local store with the limit scaled to
/// <c>max(1, ceil(limit * FallbackShare))</c>, so a caller keeps roughly its share on each instance. During the back-off requests go
/// straight to the local store without waiting on a timeout. A grant is released in the store that granted it. Local counts are not
/// copied into Redis on recovery, so a caller may briefly exceed its limit by what it held locally.
/// </remarks>
internal sealed class FailoverCallerConcurrencyStore : ICallerConcurrencyStore
{
    private readonly RedisConnection _connection;
    private readonly RedisCallerConcurrencyStore _shared;
    private readonly InMemoryCallerConcurrencyStore _local;
    private readonly double _fallbackShare;
    private long _localFallbacks;

    public FailoverCallerConcurrencyStore(RedisConnection connection, RedisCallerConcurrencyStore shared, InMemoryCallerConcurrencyStore local, IOptions<RedisOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _shared = shared;
        _local = local;
        _fallbackShare = options.Value.FallbackShare;
    }

    /// <summary>Requests counted locally because Redis was unavailable or failed.</summary>
    public long LocalFallbacks => Interlocked.Read(ref _localFallbacks);

    public async ValueTask<ConcurrencyGrant> TryAcquireAsync(string callerId, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_connection.TryGetDatabase(out var database))
        {
            try
            {
                var grant = await _shared.TryAcquireAsync(database, callerId, limit, cancellationToken);
                _connection.ReportSuccess();
                return grant;
            }
            catch (Exception ex) when (RedisFailures.IsRedisFailure(ex))
            {
                _connection.ReportFailure(ex);

                // Only the caller's own cancellation surfaces; every other failure is served locally below.
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        Interlocked.Increment(ref _localFallbacks);
        return await _local.TryAcquireAsync(callerId, FallbackLimit.Scale(limit, _fallbackShare), cancellationToken);
    }

    public ValueTask ReleaseAsync(ConcurrencyGrant grant)
    {
        if (!grant.Acquired)
        {
            return ValueTask.CompletedTask;
        }

        return grant.Shared ? _shared.ReleaseAsync(grant) : _local.ReleaseAsync(grant);
    }
}
