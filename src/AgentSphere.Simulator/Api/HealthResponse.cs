namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>GET /health</c>; cpu and memory are 0..1 fractions.</summary>
internal sealed record HealthResponse(string Status, string Name, double Cpu, double Memory, int QueueLength, int ActiveSandboxes, int InFlight, int Capacity);
