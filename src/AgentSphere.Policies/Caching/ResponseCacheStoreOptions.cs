namespace AgentSphere.Policies.Caching;

/// <summary>Bounds of the response cache's tiers (section <c>Caching:Store</c>): two memory tiers in front of an optional Redis tier. Defaults are the seed's CacheManager numbers.</summary>
public sealed class ResponseCacheStoreOptions
{
    /// <summary>The configuration section, <c>Caching:Store</c>.</summary>
    public const string SectionName = "Caching:Store";

    /// <summary>Most responses the first memory tier holds, 1 to 10000000; default 1000. The least recently used goes first.</summary>
    public int L1MaxEntries { get; set; } = 1000;

    /// <summary>Most response body bytes the first memory tier holds, 1024 to 68719476736 (64 GB) and at least <see cref="MaxEntryBytes"/>; default 33554432 (32 MB).</summary>
    public long L1MaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Longest a response stays in the first memory tier, 00:00:01 to 1.00:00:00; default 00:01:00 (60 s). Never longer than the response's own lifetime.</summary>
    public TimeSpan L1MaxLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most responses the second memory tier holds, 1 to 10000000; default 5000. The least recently used goes first.</summary>
    public int L2MaxEntries { get; set; } = 5000;

    /// <summary>Most response body bytes the second memory tier holds, 1024 to 68719476736 (64 GB) and at least <see cref="MaxEntryBytes"/>; default 134217728 (128 MB).</summary>
    public long L2MaxBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Longest a response stays in the second memory tier, 00:00:01 to 1.00:00:00; default 00:05:00 (300 s). Never longer than the response's own lifetime.</summary>
    public TimeSpan L2MaxLifetime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Largest response body, in bytes, that is cached at all (in any tier), 1 to 67108864 (64 MB); default 262144 (256 KB).</summary>
    public int MaxEntryBytes { get; set; } = 256 * 1024;

    /// <summary>Whether Redis is the third tier, shared by all instances, when <c>Redis:Configuration</c> is set; default true.</summary>
    public bool UseRedis { get; set; } = true;
}
