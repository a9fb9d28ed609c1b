using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>Counts callers' quota-counted requests per day across gateway instances in Redis.</summary>
/// <remarks>
/// One counter per caller and window, <c>{prefix}:quota:{callerId}:{windowId}</c>. The consume script counts a request only while the
/// counter is below the limit, atomically, and sets the key to expire one hour after the window ends, so old days clean themselves up
/// and a new window starts from zero. <see cref="TryConsumeAsync(string, QuotaWindow, int, CancellationToken)"/> throws on Redis errors
/// (<see cref="FailoverDailyQuotaStore"/> handles them); <see cref="RefundAsync"/> never throws.
/// </remarks>
internal sealed partial class RedisDailyQuotaStore : IDailyQuotaStore
{
    private const string ConsumeScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current >= tonumber(ARGV[1]) then
          return {0, current}
        end
        local used = redis.call('INCR', KEYS[1])
        redis.call('PEXPIREAT', KEYS[1], ARGV[2])
        return {1, used}
        """;

    private const string RefundScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current <= 0 then
          return 0
        end
        return redis.call('DECR', KEYS[1])
        """;

    private static readonly TimeSpan ExpiryAfterWindow = TimeSpan.FromHours(1);

    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly string _keyPrefix;

    public RedisDailyQuotaStore(RedisConnection connection, IOptions<RedisOptions> options, ILogger<RedisDailyQuotaStore> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _logger = logger;
        _keyPrefix = options.Value.KeyPrefix;
    }

    public ValueTask<QuotaGrant> TryConsumeAsync(string callerId, QuotaWindow window, int limit, CancellationToken cancellationToken)
    {
        if (!_connection.TryGetDatabase(out var database))
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"Redis at {_connection.Endpoints} is unavailable.");
        }

        return TryConsumeAsync(database, callerId, window, limit, cancellationToken);
    }

    /// <summary>Counts one request in <paramref name="database"/>; throws on Redis errors.</summary>
    public async ValueTask<QuotaGrant> TryConsumeAsync(IDatabase database, string callerId, QuotaWindow window, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var key = RedisKeys.Quota(_keyPrefix, callerId, window);
        cancellationToken.ThrowIfCancellationRequested();

        // Not canceled mid-flight: the command is bounded by OperationTimeout, and abandoning it could count a request nobody sees.
        var expiresAt = (window.End + ExpiryAfterWindow).ToUnixTimeMilliseconds();
        var result = (RedisValue[]?)await database.ScriptEvaluateAsync(ConsumeScript, [key], [limit, expiresAt]);
        if (result is not { Length: 2 })
        {
            throw new RedisException("The quota consume script returned an unexpected result.");
        }

        return new QuotaGrant((int)result[0] == 1, callerId, window, (long)result[1], limit, Shared: true);
    }

    public async ValueTask RefundAsync(QuotaGrant grant)
    {
        if (!grant.Granted || !grant.Shared || !_connection.TryGetDatabaseForCleanup(out var database))
        {
            return;
        }

        try
        {
            await database.ScriptEvaluateAsync(RefundScript, [RedisKeys.Quota(_keyPrefix, grant.CallerId, grant.Window)]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (RedisFailures.IsRedisFailure(ex))
            {
                _connection.ReportFailure(ex);
            }

            LogRefundFailed(_logger, grant.CallerId, grant.Window.Id, ex);
        }
    }

    [LoggerMessage(EventId = RedisEventIds.QuotaRefundFailed, Level = LogLevel.Warning,
        Message = "Refunding a quota request of caller {CallerId} in window {WindowId} in Redis failed; the request stays counted")]
    private static partial void LogRefundFailed(ILogger logger, string callerId, string windowId, Exception exception);
}
