namespace AgentSphere.Policies.Metrics;

/// <summary>Names and units of <see cref="AlertMetric"/>.</summary>
public static class AlertMetrics
{
    private static readonly string[] Units = ["%", "%", "MB", "sandboxes", "ms"];

    /// <summary>Every metric, in enum order.</summary>
    public static IReadOnlyList<AlertMetric> All { get; } = Enum.GetValues<AlertMetric>();

    /// <summary>The unit <paramref name="metric"/> and its thresholds are in: <c>%</c>, <c>MB</c>, <c>sandboxes</c> or <c>ms</c>.</summary>
    public static string GetUnit(this AlertMetric metric)
    {
        var index = (int)metric;
        return (uint)index < (uint)Units.Length ? Units[index] : throw new ArgumentOutOfRangeException(nameof(metric));
    }
}
