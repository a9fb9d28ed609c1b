namespace AgentSphere.Policies.Metrics;

/// <summary>One change of a metric's alert level.</summary>
/// <param name="Timestamp">When the evaluation that saw it ran.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Transition">Raised, escalated, de-escalated or resolved.</param>
/// <param name="PreviousLevel">The level before (<see cref="AlertLevel.None"/> when raised).</param>
/// <param name="Level">The level after (<see cref="AlertLevel.None"/> when resolved).</param>
/// <param name="Value">The value that caused it, in <paramref name="Unit"/>.</param>
/// <param name="Threshold">The threshold crossed: that of the higher of the two levels, in <paramref name="Unit"/>.</param>
/// <param name="Unit"><c>%</c>, <c>MB</c>, <c>sandboxes</c> or <c>ms</c>.</param>
public sealed record AlertHistoryEntry(
    DateTimeOffset Timestamp,
    AlertMetric Metric,
    AlertTransition Transition,
    AlertLevel PreviousLevel,
    AlertLevel Level,
    double Value,
    double Threshold,
    string Unit);
