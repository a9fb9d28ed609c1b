namespace AgentSphere.Policies.Metrics;

/// <summary>Stable event ids of the metrics and alerting log messages, all in one place (range 3200-3299).</summary>
internal static class MetricsEventIds
{
    public const int AlertRaised = 3200;
    public const int AlertEscalated = 3201;
    public const int AlertDeEscalated = 3202;
    public const int AlertResolved = 3203;
    public const int AlertEvaluationFailed = 3210;
    public const int AlertsDisabled = 3211;
}
