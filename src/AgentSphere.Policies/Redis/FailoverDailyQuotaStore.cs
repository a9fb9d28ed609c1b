using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Redis;

/// <summary>Counts daily quota in Redis while it is available and locally, with a share of each limit, while it is not.</summary>
/// <remarks>
/// Same failover as <see cref="FailoverCallerConcurrencyStore"/>: a failed Redis call is reported and the same request is counted
/// locally against <c>max(1, ceil(limit * FallbackShare))</c>; refunds go to the store that granted. Requests counted locally during
/// an outage are not added to the shared count afterwards, so a caller may get up to its local share more on such a day.
/// </remarks>
internal sealed class FailoverDailyQuotaStore : IDailyQuotaStore
{
    private readonly RedisConnection _connection;
    private readonly RedisDailyQuotaStore _shared;
    private readonly InMemoryDailyQuotaStore _local;
    private readonly double _fallbackShare;
    private long _localFallbacks;

    public FailoverDailyQuotaStore(RedisConnection connection, RedisDailyQuotaStore shared, InMemoryDailyQuotaStore local, IOptions<RedisOptions> options)
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

    public async ValueTask<QuotaGrant> TryConsumeAsync(string callerId, QuotaWindow window, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_connection.TryGetDatabase(out var database))
        {
            try
            {
                var grant = await _shared.TryConsumeAsync(database, callerId, window, limit, cancellationToken);
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
        return await _local.TryConsumeAsync(callerId, window, FallbackLimit.Scale(limit, _fallbackShare), cancellationToken);
    }

    public ValueTask RefundAsync(QuotaGrant grant)
    {
        if (!grant.Granted)
        {
            return ValueTask.CompletedTask;
        }

        return grant.Shared ? _shared.RefundAsync(grant) : _local.RefundAsync(grant);
    }
}
