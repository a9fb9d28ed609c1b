namespace AgentSphere.Policies.Resilience;

/// <summary>Timeouts, retries, circuit breaking and idempotent creates (section <c>Resilience</c>); the default timeout and the retry count are the seed's <c>AgentSphere:TimeoutMs</c> and <c>AgentSphere:RetryAttempts</c>.</summary>
public sealed class ResilienceOptions
{
    /// <summary>The configuration section, <c>Resilience</c>.</summary>
    public const string SectionName = "Resilience";

    /// <summary>Per-operation timeouts in milliseconds (1000 to 600000) that replace the default; <c>deploy</c> has 30000 (the seed's create target) unless set here.</summary>
    public Dictionary<string, int> OperationTimeoutsMs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The timeout of <paramref name="operation"/>: its entry in <see cref="OperationTimeoutsMs"/>, the built-in 30 s for deploy, else <paramref name="fallback"/> (<c>AgentSphere:TimeoutMs</c>).</summary>
    public TimeSpan EffectiveTimeout(Operations.AgentSphereOperation operation, TimeSpan fallback)
    {
        if (OperationTimeoutsMs.TryGetValue(Operations.AgentSphereOperations.GetName(operation), out var ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return operation == Operations.AgentSphereOperation.Deploy ? TimeSpan.FromSeconds(30) : fallback;
    }

    /// <summary>Per-attempt timeouts in milliseconds (50 to 600000) of idempotent operations: an attempt that takes longer is abandoned and tried on another destination, when one is left and the budget allows; default list 500, find 500, connect 400, monitor 1200 (a few times the seed's P99, under its targets).</summary>
    public Dictionary<string, int> AttemptTimeoutsMs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The per-attempt timeout of <paramref name="operation"/>, or null when its attempts are not cut short.</summary>
    public TimeSpan? EffectiveAttemptTimeout(Operations.AgentSphereOperation operation)
    {
        if (AttemptTimeoutsMs.TryGetValue(Operations.AgentSphereOperations.GetName(operation), out var ms))
        {
            return ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
        }

        return operation switch
        {
            Operations.AgentSphereOperation.List or Operations.AgentSphereOperation.Find => TimeSpan.FromMilliseconds(500),
            Operations.AgentSphereOperation.Connect => TimeSpan.FromMilliseconds(400),
            Operations.AgentSphereOperation.Monitor => TimeSpan.FromMilliseconds(1200),
            _ => null,
        };
    }

    /// <summary>Retries allowed as a percentage of recent requests, 0 to 100; default 10, so retries cannot multiply an outage.</summary>
    public double RetryBudgetPercent { get; set; } = 10;

    /// <summary>Retries the budget holds in reserve at start and after quiet periods, 0 to 1000; default 10.</summary>
    public int RetryBudgetReserve { get; set; } = 10;

    /// <summary>First retry's delay in milliseconds before jitter, 0 to 10000; default 25 (doubling per retry, with full jitter).</summary>
    public int RetryBaseDelayMs { get; set; } = 25;

    /// <summary>How long an <c>Idempotency-Key</c> is remembered per caller, 00:01:00 to 7.00:00:00; default 1.00:00:00 (24 h).</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a create in progress holds its key before a repeat may run it again (its gateway died), 00:00:05 to 01:00:00; default 00:02:00.</summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest create body an <c>Idempotency-Key</c> request may carry, in bytes, 1024 to 16777216; default 1048576.</summary>
    public int IdempotencyMaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest response kept for replay, in bytes, 1024 to 16777216; default 1048576.</summary>
    public int IdempotencyMaxResponseBytes { get; set; } = 1024 * 1024;
}
