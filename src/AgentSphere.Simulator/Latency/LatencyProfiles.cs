using System.Collections.Frozen;
using AgentSphere.Simulator.Api;

namespace AgentSphere.Simulator.Latency;

/// <summary>The seed's measured latency per operation (P50/P95/P99 in ms, seed table 1).</summary>
internal static class LatencyProfiles
{
    private static readonly LatencyProfile List = new(120, 140, 150);
    private static readonly LatencyProfile Cleanup = new(2800, 3100, 3200);

    private static readonly FrozenDictionary<string, LatencyProfile> ByOperation = new Dictionary<string, LatencyProfile>(StringComparer.Ordinal)
    {
        [OperationNames.List] = List,
        [OperationNames.Connect] = new(250, 290, 300),
        [OperationNames.Find] = new(180, 195, 200),
        [OperationNames.Deploy] = new(15000, 17000, 18000),
        [OperationNames.Monitor] = new(600, 750, 800),
        [OperationNames.Cleanup] = Cleanup,

        // Assumptions: the seed does not measure keep-alive or pause. A timeout/refresh update is a small metadata
        // write like a list read, and pausing snapshots a VM, closer to tearing one down than to a read.
        [OperationNames.KeepAlive] = List,
        [OperationNames.Lifecycle] = Cleanup,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Finds the profile of an operation; health and unknown operations have none.</summary>
    public static bool TryGet(string operation, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LatencyProfile? profile) =>
        ByOperation.TryGetValue(operation, out profile);
}
