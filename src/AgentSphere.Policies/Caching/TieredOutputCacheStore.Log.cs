using Microsoft.Extensions.Logging;

namespace AgentSphere.Policies.Caching;

/// <summary>The log messages of <see cref="TieredOutputCacheStore"/>.</summary>
internal sealed partial class TieredOutputCacheStore
{
    [LoggerMessage(EventId = CachingEventIds.MemoryOnly, Level = LogLevel.Information,
        Message = "The response cache uses its memory tiers only ({Reason}); cached responses are not shared between instances")]
    private static partial void LogMemoryOnly(ILogger logger, string reason);

    [LoggerMessage(EventId = CachingEventIds.RedisTierUnavailable, Level = LogLevel.Warning,
        Message = "The response cache's Redis tier at {Endpoints} is unavailable; serving from the memory tiers only until it is back")]
    private static partial void LogRedisTierUnavailable(ILogger logger, string endpoints, Exception? exception);

    [LoggerMessage(EventId = CachingEventIds.RedisTierInUse, Level = LogLevel.Information,
        Message = "The response cache's Redis tier at {Endpoints} is in use")]
    private static partial void LogRedisTierInUse(ILogger logger, string endpoints);

    [LoggerMessage(EventId = CachingEventIds.EvictionSubscribed, Level = LogLevel.Debug,
        Message = "Listening for other instances' response cache tag evictions on Redis channel {Channel}")]
    private static partial void LogEvictionSubscribed(ILogger logger, string channel);

    [LoggerMessage(EventId = CachingEventIds.EvictionSubscribeFailed, Level = LogLevel.Warning,
        Message = "Subscribing to Redis channel {Channel} for response cache tag evictions failed; retrying later")]
    private static partial void LogEvictionSubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = CachingEventIds.RemoteEvictionFailed, Level = LogLevel.Error,
        Message = "Applying another instance's response cache tag eviction failed")]
    private static partial void LogRemoteEvictionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = CachingEventIds.PendingEvictionsDropped, Level = LogLevel.Warning,
        Message = "More than {Limit} response cache tag evictions are waiting for Redis; further ones are applied to the memory tiers only")]
    private static partial void LogPendingEvictionsDropped(ILogger logger, int limit);

    [LoggerMessage(EventId = CachingEventIds.UnreadableRedisEntry, Level = LogLevel.Warning,
        Message = "A response cache entry in Redis has an unknown format; treated as a miss")]
    private static partial void LogUnreadableRedisEntry(ILogger logger);
}
