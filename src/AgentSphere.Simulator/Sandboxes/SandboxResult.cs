namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The outcome of an operation on one sandbox and, when it exists, its state afterwards.</summary>
internal readonly record struct SandboxResult(SandboxOutcome Outcome, SandboxInfo? Sandbox)
{
    public static SandboxResult NotFound => new(SandboxOutcome.NotFound, null);
}
