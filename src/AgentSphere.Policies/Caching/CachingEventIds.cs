namespace AgentSphere.Policies.Caching;

/// <summary>Stable event ids of the response cache's log messages, all in one place (range 3100-3199).</summary>
internal static class CachingEventIds
{
    public const int MemoryOnly = 3100;
    public const int RedisTierUnavailable = 3101;
    public const int RedisTierInUse = 3102;
    public const int EvictionSubscribed = 3103;
    public const int EvictionSubscribeFailed = 3104;
    public const int RemoteEvictionFailed = 3105;
    public const int PendingEvictionsDropped = 3106;
    public const int UnreadableRedisEntry = 3107;
}
