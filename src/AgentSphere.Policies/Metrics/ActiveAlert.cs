namespace AgentSphere.Policies.Metrics;

/// <summary>A metric's alert in force: the highest level its value holds.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Level">The level in force.</param>
/// <param name="Value">The value at the last evaluation, in <paramref name="Unit"/>.</param>
/// <param name="Threshold">The threshold of <paramref name="Level"/>, in <paramref name="Unit"/>.</param>
/// <param name="Unit"><c>%</c>, <c>MB</c>, <c>sandboxes</c> or <c>ms</c>.</param>
/// <param name="RaisedAt">When the alert was raised (it may have changed level since).</param>
/// <param name="LevelSince">When it reached <paramref name="Level"/>.</param>
public sealed record ActiveAlert(
    AlertMetric Metric,
    AlertLevel Level,
    double Value,
    double Threshold,
    string Unit,
    DateTimeOffset RaisedAt,
    DateTimeOffset LevelSince);
