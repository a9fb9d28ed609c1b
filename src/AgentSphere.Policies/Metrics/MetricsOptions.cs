namespace AgentSphere.Policies.Metrics;

/// <summary>The live latency and KPI figures (section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section, <c>Metrics</c>.</summary>
    public const string SectionName = "Metrics";

    /// <summary>The sliding window percentiles, rates and the error rate cover, whole seconds from 5 s to 10 min; default 60 s.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);
}
