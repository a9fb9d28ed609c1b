namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>GET /v2/sandboxes/{id}/logs</c>.</summary>
internal sealed record SandboxLogsV2Response(IReadOnlyList<SandboxLogEntryResponse> Logs);
