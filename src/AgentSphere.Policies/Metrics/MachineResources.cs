namespace AgentSphere.Policies.Metrics;

/// <summary>What the machine the gateway runs on has to offer.</summary>
/// <param name="AvailableMemoryMegabytes">Memory available to new work, in MB (Linux <c>MemAvailable</c>).</param>
/// <param name="ProcessorCount">Logical processors.</param>
public readonly record struct MachineResources(long AvailableMemoryMegabytes, int ProcessorCount);
