using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>Tells the exceptions that mean "Redis failed, use local state" from programming errors.</summary>
internal static class RedisFailures
{
    /// <summary>
    /// True for connection, timeout and server errors (<see cref="RedisException"/>, <see cref="RedisConnectionException"/>,
    /// <see cref="RedisTimeoutException"/>, <see cref="TimeoutException"/>), and for <see cref="OperationCanceledException"/>:
    /// no token is ever passed to Redis, so a cancellation coming out of it is a command aborted because the connection dropped.
    /// </summary>
    public static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or OperationCanceledException;
}
