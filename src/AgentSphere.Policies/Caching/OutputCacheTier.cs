namespace AgentSphere.Policies.Caching;

/// <summary>A tier of the response cache, fastest first.</summary>
public enum OutputCacheTier
{
    /// <summary>The small, short-lived memory tier consulted first.</summary>
    L1 = 0,

    /// <summary>The larger, longer-lived memory tier behind <see cref="L1"/>.</summary>
    L2 = 1,

    /// <summary>The Redis tier shared by every gateway instance.</summary>
    Redis = 2,
}
