using HdrHistogram;

namespace AgentSphere.LoadTests.Recording;

/// <summary>What was measured for one operation: latency and service-time histograms (µs), counts and outcomes.</summary>
internal sealed class OperationRecord(string operation)
{
    /// <summary>Highest recordable value: 120 s in microseconds; longer values are clamped to it.</summary>
    public const long HighestMicroseconds = 120_000_000;

    public string Operation { get; } = operation;

    /// <summary>From the scheduled start to the end of the response (corrected for coordinated omission).</summary>
    public LongHistogram Latency { get; } = NewHistogram();

    /// <summary>From the actual send to the end of the response.</summary>
    public LongHistogram ServiceTime { get; } = NewHistogram();

    public long Count { get; set; }

    public long Errors { get; set; }

    /// <summary>Responses the gateway answered from its cache (<c>X-Cache: HIT</c>).</summary>
    public long CacheHits { get; set; }

    /// <summary>Requests per outcome label (status code or failure).</summary>
    public SortedDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

    public static LongHistogram NewHistogram() => new(1, HighestMicroseconds, 3);

    public static long Clamp(long microseconds) => Math.Clamp(microseconds, 0, HighestMicroseconds);

    /// <summary>Adds <paramref name="other"/>'s measurements to this one (for the overall row).</summary>
    public void Add(OperationRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Latency.Add(other.Latency);
        ServiceTime.Add(other.ServiceTime);
        Count += other.Count;
        Errors += other.Errors;
        CacheHits += other.CacheHits;
        foreach (var (label, count) in other.Outcomes)
        {
            Outcomes[label] = Outcomes.GetValueOrDefault(label) + count;
        }
    }

    /// <summary>Records one finished request.</summary>
    public void Record(long latencyUs, long serviceUs, bool success, bool cacheHit, string outcome)
    {
        Latency.RecordValue(latencyUs);
        ServiceTime.RecordValue(serviceUs);
        Count++;
        if (!success)
        {
            Errors++;
        }

        if (cacheHit)
        {
            CacheHits++;
        }

        Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
    }
}
