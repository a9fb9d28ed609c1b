namespace AgentSphere.Simulator.Api;

/// <summary>A structured log entry (v1 <c>logEntries</c>, v2 <c>logs</c>).</summary>
internal sealed record SandboxLogEntryResponse(DateTime Timestamp, string Level, string Message, IReadOnlyDictionary<string, string> Fields);
