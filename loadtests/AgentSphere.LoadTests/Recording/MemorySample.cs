namespace AgentSphere.LoadTests.Recording;

/// <summary>One reading of the gateway's working set.</summary>
/// <param name="Seconds">Seconds from the start of the scenario.</param>
/// <param name="Bytes">Working set in bytes.</param>
internal readonly record struct MemorySample(double Seconds, double Bytes);
