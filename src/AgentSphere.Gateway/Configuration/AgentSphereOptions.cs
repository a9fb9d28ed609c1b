namespace AgentSphere.Gateway.Configuration;

/// <summary>The seed report's production settings (section <c>AgentSphere</c>); each also reads its <c>AGENTSPHERE_*</c> environment variable.</summary>
public sealed class AgentSphereOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "AgentSphere";

    /// <summary>Default per-request timeout towards a backend, in milliseconds (1000 to 600000). Default 15000. Env <c>AGENTSPHERE_TIMEOUT</c>.</summary>
    public int TimeoutMs { get; set; } = 15_000;

    /// <summary>Retries of an idempotent request on another backend, 0 to 10. Default 2. Env <c>AGENTSPHERE_RETRY_ATTEMPTS</c>.</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>Interval of active backend health probes, in milliseconds (1000 to 3600000). Default 30000. Env <c>AGENTSPHERE_HEALTH_CHECK_INTERVAL</c>.</summary>
    public int HealthCheckIntervalMs { get; set; } = 30_000;

    /// <summary>Largest batch the gateway sends in one backend call (for example sandbox ids per batch metrics read), 1 to 100. Default 8. Env <c>AGENTSPHERE_BATCH_SIZE</c>.</summary>
    public int BatchSize { get; set; } = 8;
}
