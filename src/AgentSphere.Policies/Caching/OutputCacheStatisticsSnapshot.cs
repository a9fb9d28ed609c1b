namespace AgentSphere.Policies.Caching;

/// <summary>The counters of <see cref="OutputCacheStatistics"/> at one moment; every value counts up from start-up.</summary>
public sealed class OutputCacheStatisticsSnapshot
{
    private readonly long[] _hits;
    private readonly long[] _evictions;

    internal OutputCacheStatisticsSnapshot(long[] hits, long[] evictions, long misses, long sets, long rejectedTooLarge)
    {
        _hits = hits;
        _evictions = evictions;
        Misses = misses;
        Sets = sets;
        RejectedTooLarge = rejectedTooLarge;
    }

    /// <summary>Lookups that found nothing usable in any tier.</summary>
    public long Misses { get; }

    /// <summary>Responses stored (each counted once, however many tiers took it).</summary>
    public long Sets { get; }

    /// <summary>Responses not stored because their body was larger than <see cref="ResponseCacheStoreOptions.MaxEntryBytes"/>.</summary>
    public long RejectedTooLarge { get; }

    /// <summary>Lookups across all tiers that found a response.</summary>
    public long TotalHits => _hits.Sum();

    /// <summary>Lookups answered by <paramref name="tier"/> (a lookup counts for the first tier that had the response).</summary>
    public long Hits(OutputCacheTier tier) => _hits[Index(tier)];

    /// <summary>Entries <paramref name="tier"/> dropped for <paramref name="reason"/>; the Redis tier reports <see cref="OutputCacheEvictionReason.Tag"/> only (Redis expires entries itself).</summary>
    public long Evictions(OutputCacheTier tier, OutputCacheEvictionReason reason)
    {
        if ((uint)reason >= OutputCacheStatistics.ReasonCount)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not an eviction reason.");
        }

        return _evictions[OutputCacheStatistics.EvictionIndex((OutputCacheTier)Index(tier), reason)];
    }

    private static int Index(OutputCacheTier tier) =>
        (uint)tier < OutputCacheStatistics.TierCount ? (int)tier : throw new ArgumentOutOfRangeException(nameof(tier), tier, "Not a cache tier.");
}
