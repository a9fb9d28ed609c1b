using AgentSphere.Policies.Resilience;

namespace AgentSphere.Gateway.Resilience;

/// <summary>Per-request retry state shared by the retry step and the response transform, carried as the request's <see cref="IAttemptTimeoutFeature"/>.</summary>
internal sealed class ProxyAttempt(bool idempotent, int maxRetries, TimeSpan? attemptTimeout) : IAttemptTimeoutFeature
{
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

    /// <summary>The outcome of the first attempt, run before the retry pipeline, which replays it once so its retry rules and backoff apply as if it had run it.</summary>
    public AttemptOutcome? FirstOutcome { get; set; }

    /// <summary>Destinations already tried; created on the first retry, since most requests never need it.</summary>
    public HashSet<string>? Tried { get; private set; }

    /// <summary>Whether an attempt has been made.</summary>
    public bool Attempted { get; private set; }

    /// <summary>The request's attempt state, if the retry step runs for it.</summary>
    public static ProxyAttempt? Of(HttpContext context) => context.Features.Get<IAttemptTimeoutFeature>() as ProxyAttempt;

    /// <summary>Records the destination an attempt went to (none when it never got one).</summary>
    public void RecordAttempt(string? destinationId)
    {
        Attempted = true;
        if (destinationId is not null)
        {
            (Tried ??= new HashSet<string>(StringComparer.Ordinal)).Add(destinationId);
        }
    }
}
