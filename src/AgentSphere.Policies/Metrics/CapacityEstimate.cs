namespace AgentSphere.Policies.Metrics;

/// <summary>Resources the gateway needs for a number of concurrent sandboxes (the seed's <c>calculateResourceNeeds</c>).</summary>
/// <param name="ConcurrentSandboxes">The number asked about.</param>
/// <param name="MemoryMegabytes">150 MB for the service, 20 MB per sandbox, 50 MB of SDK overhead.</param>
/// <param name="Cores">0.1 core per sandbox, at most 2.</param>
/// <param name="NetworkMegabytesPerSecond">5 MB/s per sandbox.</param>
/// <param name="Recommendation">The recommended concurrency limit for this machine.</param>
public sealed record CapacityEstimate(int ConcurrentSandboxes, long MemoryMegabytes, double Cores, long NetworkMegabytesPerSecond, CapacityRecommendation Recommendation);
