namespace AgentSphere.Policies.Metrics;

/// <summary>The seed report's KPIs: latency percentiles, rates, concurrent callers, error and success rates, and uptime.</summary>
public interface IKpiTracker
{
    /// <summary>Counts a request entering service for <paramref name="callerId"/>: the caller id (a hash, never the API key), or null for an anonymous request, which counts in <see cref="KpiSnapshot.RequestsInService"/> only.</summary>
    void RequestStarted(string? callerId);

    /// <summary>Counts the end of a request <see cref="RequestStarted"/> counted, with the same <paramref name="callerId"/>.</summary>
    void RequestFinished(string? callerId);

    /// <summary>The KPIs now; allocates, so call it every few seconds, not per request.</summary>
    KpiSnapshot Snapshot();
}
