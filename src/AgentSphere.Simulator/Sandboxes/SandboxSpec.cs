namespace AgentSphere.Simulator.Sandboxes;

/// <summary>What a create request asks for, already validated.</summary>
internal sealed record SandboxSpec(
    string TemplateId,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> EnvVars,
    bool AutoPause,
    bool Secure);
