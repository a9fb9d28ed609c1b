namespace AgentSphere.Policies.Metrics;

/// <summary>Latency counts merged over several seconds (and operations) for reading: count, errors, average, percentiles and maximum.</summary>
internal sealed class LatencyAccumulator
{
    private readonly long[] _buckets = new long[LatencyHistogram.BucketCount];
    private long _sumTicks;
    private long _maxTicks;

    /// <summary>Requests counted.</summary>
    public long Count { get; private set; }

    /// <summary>Requests that failed (status 500 or above, or no response).</summary>
    public long Errors { get; private set; }

    /// <summary>Adds one second's counts.</summary>
    public void Add(ReadOnlySpan<int> buckets, long sumTicks, long maxTicks, long errors)
    {
        long count = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            var n = buckets[i];
            if (n != 0)
            {
                _buckets[i] += n;
                count += n;
            }
        }

        Count += count;
        _sumTicks += sumTicks;
        _maxTicks = Math.Max(_maxTicks, maxTicks);
        Errors += errors;
    }

    /// <summary>Adds everything <paramref name="other"/> counted.</summary>
    public void Add(LatencyAccumulator other)
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] += other._buckets[i];
        }

        Count += other.Count;
        _sumTicks += other._sumTicks;
        _maxTicks = Math.Max(_maxTicks, other._maxTicks);
        Errors += other.Errors;
    }

    /// <summary>The nearest-rank percentile <paramref name="perMille"/> / 1000 in milliseconds (the midpoint of its bucket, never above the maximum); 0 when nothing was counted.</summary>
    public double PercentileMilliseconds(int perMille)
    {
        if (Count == 0)
        {
            return 0;
        }

        // Nearest rank: the smallest value with at least perMille/1000 of the samples at or below it, in integers so 95 % of 10000 is 9500 exactly.
        var rank = Math.Max(1, ((perMille * Count) + 999) / 1000);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return Math.Min(LatencyHistogram.Midpoint(i) / 1000.0, MaxMilliseconds);
            }
        }

        return MaxMilliseconds;
    }

    /// <summary>The exact mean in milliseconds; 0 when nothing was counted.</summary>
    public double AverageMilliseconds => Count == 0 ? 0 : TimeSpan.FromTicks(_sumTicks).TotalMilliseconds / Count;

    /// <summary>The exact largest latency in milliseconds; 0 when nothing was counted.</summary>
    public double MaxMilliseconds => TimeSpan.FromTicks(_maxTicks).TotalMilliseconds;

    /// <summary>The public figures for <paramref name="operation"/>, with rates over <paramref name="seconds"/>.</summary>
    public OperationLatencyStatistics ToStatistics(string operation, double seconds)
    {
        // A second's slot is cleared without stopping writers (see OperationLatencyWindow), so errors can briefly outnumber counted requests.
        var errors = Math.Min(Errors, Count);
        return new(
            operation,
            Count,
            errors,
            Count / seconds,
            Count == 0 ? 0 : errors * 100.0 / Count,
            AverageMilliseconds,
            PercentileMilliseconds(500),
            PercentileMilliseconds(950),
            PercentileMilliseconds(990),
            MaxMilliseconds);
    }
}
