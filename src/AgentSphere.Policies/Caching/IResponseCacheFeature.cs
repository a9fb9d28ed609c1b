using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Caching;

/// <summary>Set on a request the response cache handles: its operation and whether the response came from the cache.</summary>
public interface IResponseCacheFeature
{
    /// <summary>The request's operation.</summary>
    AgentSphereOperation Operation { get; }

    /// <summary>Whether the cache was consulted (false when the request said <c>Cache-Control: no-cache</c> or <c>no-store</c>).</summary>
    bool LookedUp { get; }

    /// <summary>Whether the response is served from the cache (a stored entry, or the one a concurrent identical request just fetched).</summary>
    bool Hit { get; }
}
