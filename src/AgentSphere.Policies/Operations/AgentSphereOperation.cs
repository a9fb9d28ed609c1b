namespace AgentSphere.Policies.Operations;

/// <summary>The AgentSphere API operations the gateway tells apart; every policy (limits, caching, metrics) is keyed by one.</summary>
public enum AgentSphereOperation
{
    /// <summary>Anything not classified: passed through untouched.</summary>
    Other = 0,

    /// <summary>List sandboxes without a filter (seed <c>listActiveSandboxes</c>).</summary>
    List,

    /// <summary>List sandboxes filtered by metadata (seed <c>findUserSandbox</c>).</summary>
    Find,

    /// <summary>Read or connect to one sandbox (seed <c>connectToSandbox</c>).</summary>
    Connect,

    /// <summary>Create a sandbox (seed <c>deployProject</c>); not idempotent.</summary>
    Deploy,

    /// <summary>Metrics and logs (seed <c>monitorDeployment</c>).</summary>
    Monitor,

    /// <summary>Kill a sandbox (seed <c>cleanupSingleSandbox</c>).</summary>
    Cleanup,

    /// <summary>Set a sandbox's timeout or refresh it.</summary>
    KeepAlive,

    /// <summary>Pause or resume a sandbox.</summary>
    Lifecycle,

    /// <summary>The backend's health endpoint.</summary>
    Health,
}
