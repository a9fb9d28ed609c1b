namespace AgentSphere.Policies.Caching;

/// <summary>One response held by a memory tier: the body, its tags and the absolute time it stops being served there.</summary>
/// <remarks>Immutable; tiers share the body and tag arrays, which nobody writes after the store took them.</remarks>
internal sealed class MemoryCacheEntry(string key, byte[] body, string[] tags, DateTimeOffset expires)
{
    /// <summary>The output cache key.</summary>
    public string Key { get; } = key;

    /// <summary>The serialized response, as given to the store.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The tags the response was stored with, without duplicates.</summary>
    public string[] Tags { get; } = tags;

    /// <summary>When the entry expires in this tier: the response's own expiry capped by the tier's lifetime.</summary>
    public DateTimeOffset Expires { get; } = expires;

    /// <summary>Whether the entry must no longer be served at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now >= Expires;
}
