namespace AgentSphere.Policies.Caching;

/// <summary>Names the response cache is known by in configuration and dependency injection.</summary>
public static class ResponseCaching
{
    /// <summary>The output-cache policy name YARP routes carry (route <c>OutputCachePolicy</c>); the gateway sets it on every route of a cacheable operation.</summary>
    public const string PolicyName = "AgentSphere";

    /// <summary>Service key of an optional <see cref="TimeProvider"/> for the cache store alone (tests advance it to expire entries); the shared one otherwise.</summary>
    public const string ClockServiceKey = "AgentSphere.Caching.Clock";

    /// <summary>Response header saying whether the response came from the cache: <c>HIT</c> or <c>MISS</c>.</summary>
    public const string CacheStatusHeader = "X-Cache";
}
