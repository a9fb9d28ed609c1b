namespace AgentSphere.Policies.Resilience;

/// <summary>Set on a request whose current forwarding attempt was abandoned for taking longer than its per-attempt timeout, so the load balancer counts it against the backend (not as a client that went away).</summary>
public interface IAttemptTimeoutFeature
{
    /// <summary>Whether the attempt that just ended was cut short.</summary>
    bool AttemptTimedOut { get; }
}
