namespace AgentSphere.Policies.Metrics;

/// <summary>The recommended concurrency limit for a machine (the seed's <c>calculateOptimalLimit</c>) and what bounds it.</summary>
/// <param name="Limit">The smallest of the three bounds, never negative.</param>
/// <param name="MemoryBound">(available MB − 300) / 20.</param>
/// <param name="CpuBound">Processors × 0.8 / 0.1 sandboxes.</param>
/// <param name="HardCap">50.</param>
/// <param name="LimitedBy"><c>memory</c>, <c>cpu</c> or <c>cap</c>.</param>
/// <param name="Machine">The figures the recommendation was computed from.</param>
public sealed record CapacityRecommendation(int Limit, long MemoryBound, long CpuBound, int HardCap, string LimitedBy, MachineResources Machine);
