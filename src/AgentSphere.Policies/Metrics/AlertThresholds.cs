namespace AgentSphere.Policies.Metrics;

/// <summary>One metric's thresholds, in the metric's unit: each level fires when the value is at or above its threshold.</summary>
public sealed class AlertThresholds
{
    /// <summary>Thresholds of 0, for the configuration binder.</summary>
    public AlertThresholds()
    {
    }

    /// <summary>The given thresholds.</summary>
    public AlertThresholds(double warning, double critical, double emergency)
    {
        Warning = warning;
        Critical = critical;
        Emergency = emergency;
    }

    /// <summary>The warning threshold; above 0.</summary>
    public double Warning { get; set; }

    /// <summary>The critical threshold; above <see cref="Warning"/>.</summary>
    public double Critical { get; set; }

    /// <summary>The emergency threshold; above <see cref="Critical"/>.</summary>
    public double Emergency { get; set; }

    /// <summary>The threshold of <paramref name="level"/>.</summary>
    public double For(AlertLevel level) => level switch
    {
        AlertLevel.Warning => Warning,
        AlertLevel.Critical => Critical,
        AlertLevel.Emergency => Emergency,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Only warning, critical and emergency have thresholds."),
    };
}
