namespace AgentSphere.Gateway.Resilience;

/// <summary>Per-request retry state shared by the retry step and the response transform (in <see cref="HttpContext.Items"/>).</summary>
internal sealed class ProxyAttempt(bool idempotent, int maxRetries, TimeSpan? attemptTimeout) : Policies.Resilience.IAttemptTimeoutFeature
{
    public static readonly object Key = new();

    public bool Idempotent { get; } = idempotent;

    /// <summary>How long one attempt may take before it is abandoned for another destination, or null.</summary>
    public TimeSpan? AttemptTimeout { get; } = attemptTimeout;

    public bool AttemptTimedOut { get; set; }

    /// <summary>Retries left for this request.</summary>
    public int RetriesLeft { get; set; } = maxRetries;

    /// <summary>Whether another destination is still untried.</summary>
    public bool HasOtherDestination { get; set; }

    /// <summary>The response transform held back a retryable 5xx body and took a retry from the budget for it.</summary>
    public bool SuppressedForRetry { get; set; }

    /// <summary>Destinations already tried.</summary>
    public HashSet<string> Tried { get; } = new(StringComparer.Ordinal);
}
