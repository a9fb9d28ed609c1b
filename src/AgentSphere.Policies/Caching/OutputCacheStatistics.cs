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
    private MemoryCacheTier? _l1;
    private MemoryCacheTier? _l2;

    /// <summary>Entries and body bytes a memory tier holds now; zeros for <see cref="OutputCacheTier.Redis"/> (its size is Redis's to report) or before a store exists.</summary>
    public (int Entries, long Bytes) Size(OutputCacheTier tier)
    {
        var memory = tier switch
        {
            OutputCacheTier.L1 => Volatile.Read(ref _l1),
            OutputCacheTier.L2 => Volatile.Read(ref _l2),
            _ => null,
        };
        return memory is null ? (0, 0) : (memory.Count, memory.Bytes);
    }

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

    /// <summary>Lets <see cref="Size"/> read the store's memory tiers.</summary>
    internal void Attach(MemoryCacheTier l1, MemoryCacheTier l2)
    {
        Volatile.Write(ref _l1, l1);
        Volatile.Write(ref _l2, l2);
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
