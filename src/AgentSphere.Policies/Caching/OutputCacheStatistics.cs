namespace AgentSphere.Policies.Caching;

/// <summary>Thread-safe counters of the response cache store since start-up, for the host to export as metrics.</summary>
public sealed class OutputCacheStatistics
{
    internal const int TierCount = 3;
    internal const int ReasonCount = 3;

    private readonly long[] _hits = new long[TierCount];
    private readonly long[] _evictions = new long[TierCount * ReasonCount];
    private long _misses;
    private long _sets;
    private long _rejectedTooLarge;

    /// <summary>A consistent-enough copy of every counter (each read atomically), cheap enough for every scrape.</summary>
    public OutputCacheStatisticsSnapshot Snapshot()
    {
        var hits = new long[TierCount];
        for (var i = 0; i < hits.Length; i++)
        {
            hits[i] = Interlocked.Read(ref _hits[i]);
        }

        var evictions = new long[_evictions.Length];
        for (var i = 0; i < evictions.Length; i++)
        {
            evictions[i] = Interlocked.Read(ref _evictions[i]);
        }

        return new OutputCacheStatisticsSnapshot(hits, evictions, Interlocked.Read(ref _misses), Interlocked.Read(ref _sets), Interlocked.Read(ref _rejectedTooLarge));
    }

    internal static int EvictionIndex(OutputCacheTier tier, OutputCacheEvictionReason reason) => ((int)tier * ReasonCount) + (int)reason;

    internal void RecordHit(OutputCacheTier tier) => Interlocked.Increment(ref _hits[(int)tier]);

    internal void RecordMiss() => Interlocked.Increment(ref _misses);

    internal void RecordSet() => Interlocked.Increment(ref _sets);

    internal void RecordRejectedTooLarge() => Interlocked.Increment(ref _rejectedTooLarge);

    internal void RecordEvictions(OutputCacheTier tier, OutputCacheEvictionReason reason, long count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _evictions[EvictionIndex(tier, reason)], count);
        }
    }
}
