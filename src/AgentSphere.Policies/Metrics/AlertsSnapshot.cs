namespace AgentSphere.Policies.Metrics;

/// <summary>The alerts in force and the recent transitions, for the dashboard and the admin API.</summary>
/// <param name="Enabled">Whether alerts are evaluated (<see cref="AlertOptions.Enabled"/>).</param>
/// <param name="LastEvaluatedAt">When the last evaluation ran, or null before the first.</param>
/// <param name="LastReadings">What it read, or null before the first.</param>
/// <param name="Active">The alert in force per metric, in <see cref="AlertMetric"/> order; metrics without one are left out.</param>
/// <param name="History">The latest transitions, newest first, at most <see cref="AlertOptions.HistorySize"/>.</param>
public sealed record AlertsSnapshot(
    bool Enabled,
    DateTimeOffset? LastEvaluatedAt,
    AlertReadings? LastReadings,
    IReadOnlyList<ActiveAlert> Active,
    IReadOnlyList<AlertHistoryEntry> History);
