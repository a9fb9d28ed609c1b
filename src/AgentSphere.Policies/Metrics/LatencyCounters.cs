namespace AgentSphere.Policies.Metrics;

/// <summary>One operation's counts in one second of <see cref="OperationLatencyWindow"/>: a bucket count per latency bucket, the exact sum and maximum, and the errors.</summary>
/// <remarks>Writers only use <see cref="Interlocked"/> operations, so concurrent requests never lose a count and never wait for each other.</remarks>
internal sealed class LatencyCounters
{
    private readonly int[] _buckets = new int[LatencyHistogram.BucketCount];
    private long _sumTicks;
    private long _maxTicks;
    private long _errors;

    /// <summary>Counts one request that took <paramref name="ticks"/> (100 ns units).</summary>
    public void Add(long ticks, bool failed)
    {
        Interlocked.Increment(ref _buckets[LatencyHistogram.BucketIndex(ticks / TimeSpan.TicksPerMicrosecond)]);
        Interlocked.Add(ref _sumTicks, ticks);
        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }

        var max = Volatile.Read(ref _maxTicks);
        while (ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Sets every count back to zero, for the slot's next second.</summary>
    public void Clear()
    {
        Array.Clear(_buckets);
        Volatile.Write(ref _sumTicks, 0);
        Volatile.Write(ref _maxTicks, 0);
        Volatile.Write(ref _errors, 0);
    }

    /// <summary>Adds these counts to <paramref name="accumulator"/>.</summary>
    public void AddTo(LatencyAccumulator accumulator) =>
        accumulator.Add(_buckets, Volatile.Read(ref _sumTicks), Volatile.Read(ref _maxTicks), Volatile.Read(ref _errors));
}
