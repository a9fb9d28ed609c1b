namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>GET /sandboxes/{id}/logs</c>.</summary>
internal sealed record SandboxLogsResponse(IReadOnlyList<SandboxLogLine> Logs, IReadOnlyList<SandboxLogEntryResponse> LogEntries);
