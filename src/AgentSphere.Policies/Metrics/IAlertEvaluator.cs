namespace AgentSphere.Policies.Metrics;

/// <summary>Keeps the alert in force per metric from successive readings, logs every change once and keeps a bounded history of them.</summary>
public interface IAlertEvaluator
{
    /// <summary>Evaluates <paramref name="readings"/> taken at <paramref name="now"/> and returns the transitions they caused, if any.</summary>
    IReadOnlyList<AlertHistoryEntry> Evaluate(AlertReadings readings, DateTimeOffset now);

    /// <summary>The alerts in force and the history now.</summary>
    AlertsSnapshot Snapshot();
}
