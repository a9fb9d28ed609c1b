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

    /// <summary>A retry was already taken from the budget for this attempt: by the response transform holding back a retryable 5xx body, or by cutting a slow attempt short.</summary>
    public bool SuppressedForRetry { get; set; }

    /// <summary>Destinations already tried.</summary>
    public HashSet<string> Tried { get; } = new(StringComparer.Ordinal);
}
