namespace AgentSphere.Simulator.Sandboxes;

/// <summary>One entry of a sandbox's event log (created, timeout set, paused, ...).</summary>
internal sealed record SandboxEvent(DateTimeOffset Timestamp, string Level, string Message, IReadOnlyDictionary<string, string> Fields);
