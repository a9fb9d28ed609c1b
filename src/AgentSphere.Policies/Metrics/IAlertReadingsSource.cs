namespace AgentSphere.Policies.Metrics;

/// <summary>Reads the values alerts are evaluated on; the host implements it (machine and process figures, backend reports, <see cref="IKpiTracker"/>).</summary>
public interface IAlertReadingsSource
{
    /// <summary>The readings now; called once per <see cref="AlertOptions.EvaluationInterval"/>, never on the request path.</summary>
    ValueTask<AlertReadings> ReadAsync(CancellationToken cancellationToken);
}
