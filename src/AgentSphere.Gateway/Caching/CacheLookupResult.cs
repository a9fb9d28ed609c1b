namespace AgentSphere.Gateway.Caching;

/// <summary>What the response cache did for a cacheable request, as a metric label.</summary>
internal enum CacheLookupResult
{
    /// <summary>Served from the cache.</summary>
    Hit,

    /// <summary>Looked up, not found (or found stale), fetched from a backend.</summary>
    Miss,

    /// <summary>Not looked up: the request said <c>Cache-Control: no-cache</c> or <c>no-store</c>.</summary>
    Bypass,
}
