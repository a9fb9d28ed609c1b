using System.Numerics;

namespace AgentSphere.Policies.Metrics;

/// <summary>The fixed log-linear buckets latencies are counted in: 1 µs wide below 128 µs, then 64 buckets per power of two up to 120 s.</summary>
/// <remarks>
/// The HdrHistogram layout with 6 sub-bucket bits. A value of v microseconds, with m = ⌊log2 v⌋ and shift = max(m − 6, 0), goes to bucket
/// (shift &lt;&lt; 6) + (v &gt;&gt; shift): one shift and one <see cref="BitOperations.Log2(ulong)"/>, no loop and no table. A bucket is at most
/// 1/64 of its lower bound wide, so its midpoint is within 1/128 (0.78 %) of any value counted in it, and within 0.5 µs below 128 µs.
/// Values above <see cref="HighestTrackableMicroseconds"/> count in the top bucket (percentiles saturate there; the exact maximum is kept apart).
/// </remarks>
internal static class LatencyHistogram
{
    /// <summary>Bits of precision below a value's leading bit.</summary>
    public const int SubBucketBits = 6;

    /// <summary>The largest value told apart, 120 s in microseconds.</summary>
    public const long HighestTrackableMicroseconds = 120_000_000;

    /// <summary>Buckets from 0 µs to <see cref="HighestTrackableMicroseconds"/>: <c>BucketIndex(HighestTrackableMicroseconds) + 1</c>.</summary>
    public const int BucketCount = 1395;

    /// <summary>The bucket that counts <paramref name="microseconds"/>; negative values count as 0 and large ones in the top bucket.</summary>
    public static int BucketIndex(long microseconds)
    {
        var value = (ulong)Math.Clamp(microseconds, 0, HighestTrackableMicroseconds);
        var shift = Math.Max(BitOperations.Log2(value) - SubBucketBits, 0);
        return (shift << SubBucketBits) + (int)(value >> shift);
    }

    /// <summary>The smallest whole microsecond value counted in bucket <paramref name="index"/>.</summary>
    public static long LowerBound(int index)
    {
        var shift = Shift(index);
        return (long)(index - (shift << SubBucketBits)) << shift;
    }

    /// <summary>How many whole microsecond values bucket <paramref name="index"/> counts.</summary>
    public static long Width(int index) => 1L << Shift(index);

    /// <summary>The value a bucket's samples are reported as: its midpoint, in microseconds.</summary>
    public static double Midpoint(int index) => LowerBound(index) + (Width(index) / 2.0);

    private static int Shift(int index) => Math.Max((index >> SubBucketBits) - 1, 0);
}
