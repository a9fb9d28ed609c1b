using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>The seed report's numbers the scenarios are judged against (SPEC section 3).</summary>
internal static class SeedTargets
{
    /// <summary>Seed table 1: the P99 target per operation, ms.</summary>
    public static IReadOnlyDictionary<string, double> P99TargetMs { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [OperationNames.List] = 1000,
        [OperationNames.Find] = 1000,
        [OperationNames.Connect] = 500,
        [OperationNames.Deploy] = 30_000,
        [OperationNames.Monitor] = 2000,
        [OperationNames.Cleanup] = 5000,
    };

    /// <summary>Seed table 1: what the seed measured, P50/P95/P99 in ms (also the simulator's latency profile).</summary>
    public static IReadOnlyDictionary<string, (double P50, double P95, double P99)> SeedMeasuredMs { get; } =
        new Dictionary<string, (double, double, double)>(StringComparer.Ordinal)
        {
            [OperationNames.List] = (120, 140, 150),
            [OperationNames.Find] = (180, 195, 200),
            [OperationNames.Connect] = (250, 290, 300),
            [OperationNames.Deploy] = (15_000, 17_000, 18_000),
            [OperationNames.Monitor] = (600, 750, 800),
            [OperationNames.Cleanup] = (2800, 3100, 3200),
        };

    /// <summary>The seed's method names, for the tables.</summary>
    public static IReadOnlyDictionary<string, string> SeedMethod { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [OperationNames.List] = "listActiveSandboxes()",
        [OperationNames.Find] = "findUserSandbox()",
        [OperationNames.Connect] = "connectToSandbox()",
        [OperationNames.Deploy] = "deployProject()",
        [OperationNames.Monitor] = "monitorDeployment()",
        [OperationNames.Cleanup] = "cleanupSingleSandbox()",
    };

    /// <summary>Sustained throughput: 50 ops/s.</summary>
    public const double SustainedRate = 50;

    /// <summary>Short-term throughput: 60 ops/s.</summary>
    public const double ShortTermRate = 60;

    /// <summary>Seed stability run: 2 h.</summary>
    public static readonly TimeSpan StabilityDuration = TimeSpan.FromHours(2);

    /// <summary>Seed ramp: 10 → 20 → 35 → 50 → 60 ops/s, 2 minutes each.</summary>
    public static IReadOnlyList<double> RampRates { get; } = [10, 20, 35, 50, 60];

    public static readonly TimeSpan RampStageDuration = TimeSpan.FromMinutes(2);

    /// <summary>Seed memory growth in the 2-hour stability run: 5 MB/h (the ceiling here).</summary>
    public const double MemoryGrowthMbPerHour = 5;

    /// <summary>What the seed's concurrency table measured (mean response ms, peak memory MB).</summary>
    public static IReadOnlyDictionary<string, (double MeanMs, double PeakMb)> ConcurrencySeed { get; } =
        new Dictionary<string, (double, double)>(StringComparer.Ordinal)
        {
            ["lists"] = (150, 180),
            ["creates"] = (20_000, 250),
            ["finds"] = (200, 200),
            ["mixed"] = (400, 280),
        };

    /// <summary>The bar for a level of load.</summary>
    public static TargetLevel Sustained { get; } = new("sustained (seed measured)", 800, 0.0005);

    /// <summary>The looser bar the seed sets as its target, used for the short-term 60 ops/s.</summary>
    public static TargetLevel ShortTerm { get; } = new("short term (seed target)", 1000, 0.01);
}
