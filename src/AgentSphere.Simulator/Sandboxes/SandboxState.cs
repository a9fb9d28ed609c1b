namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The states a sandbox can be listed in.</summary>
internal enum SandboxState
{
    Running,
    Paused,
}
