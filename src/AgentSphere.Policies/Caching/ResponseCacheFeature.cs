using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Caching;

/// <summary>The <see cref="IResponseCacheFeature"/> the cache policy sets, with what it needs to refuse storing a response that a write made stale.</summary>
internal sealed class ResponseCacheFeature(AgentSphereOperation operation, bool lookedUp, string tag, long tagGeneration) : IResponseCacheFeature
{
    public AgentSphereOperation Operation { get; } = operation;

    public bool LookedUp { get; } = lookedUp;

    public bool Hit { get; set; }

    /// <summary>The tag the entry is stored under.</summary>
    public string Tag { get; } = tag;

    /// <summary>The store's generation of <see cref="Tag"/> when the request began.</summary>
    public long TagGeneration { get; } = tagGeneration;
}
