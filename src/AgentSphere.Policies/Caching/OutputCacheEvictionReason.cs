namespace AgentSphere.Policies.Caching;

/// <summary>Why the response cache dropped an entry before it was read again.</summary>
public enum OutputCacheEvictionReason
{
    /// <summary>The tier was over its entry count or byte bound and this was the least recently used entry.</summary>
    Capacity = 0,

    /// <summary>The entry's lifetime in the tier had ended.</summary>
    Expired = 1,

    /// <summary>A tag of the entry was evicted, here or on another instance.</summary>
    Tag = 2,
}
