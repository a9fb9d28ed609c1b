namespace AgentSphere.Simulator.Sandboxes;

/// <summary>How a state-changing sandbox operation ended.</summary>
internal enum SandboxOutcome
{
    Ok,
    Resumed,
    NotFound,
    AlreadyPaused,
    AlreadyRunning,
}
