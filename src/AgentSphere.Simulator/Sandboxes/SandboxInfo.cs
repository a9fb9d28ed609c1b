namespace AgentSphere.Simulator.Sandboxes;

/// <summary>An immutable snapshot of one sandbox.</summary>
internal sealed record SandboxInfo(
    string Id,
    string TemplateId,
    string ClientId,
    string EnvdVersion,
    string? EnvdAccessToken,
    DateTimeOffset StartedAt,
    DateTimeOffset EndAt,
    SandboxState State,
    IReadOnlyDictionary<string, string> Metadata,
    bool AutoPause);
