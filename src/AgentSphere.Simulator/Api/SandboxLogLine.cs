namespace AgentSphere.Simulator.Api;

/// <summary>A v1 log line.</summary>
internal sealed record SandboxLogLine(DateTime Timestamp, string Line);
