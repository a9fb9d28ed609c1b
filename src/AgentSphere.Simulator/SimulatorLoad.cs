namespace AgentSphere.Simulator;

/// <summary>The load figures a simulator reports in <c>/health</c> and the <c>X-AgentSphere-Load</c> header.</summary>
/// <param name="Cpu">Simulated CPU use as a 0..1 fraction.</param>
/// <param name="Memory">Simulated memory use as a 0..1 fraction.</param>
/// <param name="QueueLength">API requests waiting for a service slot.</param>
/// <param name="ActiveSandboxes">Running sandboxes.</param>
/// <param name="InFlight">API requests in service plus those waiting.</param>
/// <param name="Capacity">Service slots.</param>
public sealed record SimulatorLoad(double Cpu, double Memory, int QueueLength, int ActiveSandboxes, int InFlight, int Capacity);
