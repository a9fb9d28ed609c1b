namespace AgentSphere.Policies.Metrics;

/// <summary>The seed report's ResourceCalculator: what N concurrent sandboxes cost, and how many this machine should run.</summary>
/// <remarks>
/// Memory: 150 MB base + 20 MB per sandbox + 50 MB SDK overhead. CPU: 0.1 core per sandbox, capped at 2. Network: 5 MB/s per
/// sandbox. Recommended limit: min((available MB − 300) / 20, processors × 0.8 / 0.1, 50), floored and never negative. The CPU
/// bound is computed as processors × 8 in integers, because 0.8 / 0.1 in binary floating point is not exactly 8.
/// </remarks>
public static class CapacityCalculator
{
    /// <summary>The seed's hard cap on concurrent sandboxes.</summary>
    public const int HardCap = 50;

    private const long BaseMemoryMegabytes = 150;
    private const long PerSandboxMemoryMegabytes = 20;
    private const long SdkOverheadMegabytes = 50;
    private const long ReservedMemoryMegabytes = 300;
    private const double CoresPerSandbox = 0.1;
    private const double MaxCores = 2.0;
    private const long NetworkPerSandbox = 5;

    /// <summary>The resources <paramref name="concurrentSandboxes"/> need, with the recommendation for <paramref name="machine"/>.</summary>
    public static CapacityEstimate Estimate(int concurrentSandboxes, MachineResources machine)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(concurrentSandboxes);
        return new CapacityEstimate(
            concurrentSandboxes,
            BaseMemoryMegabytes + (concurrentSandboxes * PerSandboxMemoryMegabytes) + SdkOverheadMegabytes,
            Math.Min(concurrentSandboxes * CoresPerSandbox, MaxCores),
            concurrentSandboxes * NetworkPerSandbox,
            Recommend(machine));
    }

    /// <summary>The recommended concurrency limit for <paramref name="machine"/>.</summary>
    public static CapacityRecommendation Recommend(MachineResources machine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machine.ProcessorCount, 1);
        var memoryBound = Math.Max(0, (machine.AvailableMemoryMegabytes - ReservedMemoryMegabytes) / PerSandboxMemoryMegabytes);
        var cpuBound = machine.ProcessorCount * 8L;
        var limit = Math.Min(Math.Min(memoryBound, cpuBound), HardCap);
        var limitedBy = limit == memoryBound ? "memory" : limit == cpuBound ? "cpu" : "cap";
        return new CapacityRecommendation((int)limit, memoryBound, cpuBound, HardCap, limitedBy, machine);
    }
}
