using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Metrics;

/// <summary>Records each completed request's latency and outcome on the request path, without a lock or an allocation.</summary>
public interface ILatencyRecorder
{
    /// <summary>Records one request of <paramref name="operation"/> that took <paramref name="elapsed"/>; it counts as an error when <paramref name="statusCode"/> is 500 or above or <paramref name="transportFailure"/> is true (no response from the backend).</summary>
    void Record(AgentSphereOperation operation, TimeSpan elapsed, int statusCode, bool transportFailure = false);

    /// <summary>Records one request of <paramref name="operation"/> that took <paramref name="elapsed"/> and <paramref name="failed"/> or not.</summary>
    void Record(AgentSphereOperation operation, TimeSpan elapsed, bool failed);
}
