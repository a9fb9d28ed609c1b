namespace AgentSphere.Simulator.Sandboxes;

/// <summary>Simulated sandbox metrics: one sample every 5 s from the start, a pure function of sandbox id and time.</summary>
/// <remarks>
/// The values come from a hash of (id, timestamp) rather than the seeded random, so reading metrics never shifts the
/// random sequence and two twin simulators report identical figures.
/// </remarks>
internal static class SandboxMetricsModel
{
    public const int StepSeconds = 5;
    public const int MaxSamples = 100;

    /// <summary>Samples with timestamps in [start, end] (unix seconds, both optional) up to now; at most the last 100.</summary>
    public static IReadOnlyList<SandboxMetricSample> Range(SandboxInfo sandbox, DateTimeOffset now, long? start, long? end)
    {
        var first = sandbox.StartedAt.ToUnixTimeSeconds();
        var low = Math.Max(first, start ?? first);
        var high = Math.Min(now.ToUnixTimeSeconds(), end ?? long.MaxValue);
        if (high < low)
        {
            return [];
        }

        var kMin = CeilDiv(low - first, StepSeconds);
        var kMax = (high - first) / StepSeconds;
        if (kMax < kMin)
        {
            return [];
        }

        kMin = Math.Max(kMin, kMax - MaxSamples + 1);
        var samples = new SandboxMetricSample[kMax - kMin + 1];
        for (var k = kMin; k <= kMax; k++)
        {
            samples[k - kMin] = At(sandbox.Id, first + (k * StepSeconds));
        }

        return samples;
    }

    /// <summary>The latest sample at or before now.</summary>
    public static SandboxMetricSample Latest(SandboxInfo sandbox, DateTimeOffset now)
    {
        var first = sandbox.StartedAt.ToUnixTimeSeconds();
        var k = Math.Max(0, (now.ToUnixTimeSeconds() - first) / StepSeconds);
        return At(sandbox.Id, first + (k * StepSeconds));
    }

    public static SandboxMetricSample At(string id, long timestampUnix)
    {
        var hash = Mix(Fnv1a(id) ^ (ulong)timestampUnix);
        var cpu = Fraction(hash);
        var memory = Fraction(Mix(hash));
        var disk = Fraction(Mix(hash + 1));
        return new SandboxMetricSample(
            timestampUnix,
            SandboxResources.CpuCount,
            Math.Round(2 + (78 * cpu), 2),
            (long)(SandboxResources.MemoryBytes * (0.2 + (0.5 * memory))),
            SandboxResources.MemoryBytes,
            (long)(SandboxResources.DiskBytes * (0.1 + (0.1 * disk))),
            SandboxResources.DiskBytes);
    }

    private static long CeilDiv(long value, long divisor) => value <= 0 ? 0 : (value + divisor - 1) / divisor;

    private static double Fraction(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    // SplitMix64 finaliser.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
