namespace AgentSphere.Policies.Metrics;

/// <summary>The values alerts are evaluated on, read at one moment; a null value is unknown and leaves that metric's alert as it was.</summary>
/// <param name="SystemMemoryPercent">Memory in use on the machine, percent.</param>
/// <param name="SystemCpuPercent">CPU in use on the machine, percent of all cores.</param>
/// <param name="GatewayMemoryMegabytes">The gateway process's memory, MB.</param>
/// <param name="ActiveSandboxes">Sandboxes running across the backends.</param>
/// <param name="ResponseTimeP95Milliseconds">The P95 response time of all operations over the metrics window (<see cref="KpiSnapshot.P95Milliseconds"/>), ms.</param>
public sealed record AlertReadings(
    double? SystemMemoryPercent,
    double? SystemCpuPercent,
    double? GatewayMemoryMegabytes,
    int? ActiveSandboxes,
    double? ResponseTimeP95Milliseconds)
{
    /// <summary>The reading of <paramref name="metric"/>, or null when unknown.</summary>
    public double? Get(AlertMetric metric) => metric switch
    {
        AlertMetric.SystemMemory => SystemMemoryPercent,
        AlertMetric.SystemCpu => SystemCpuPercent,
        AlertMetric.GatewayMemory => GatewayMemoryMegabytes,
        AlertMetric.ActiveSandboxes => ActiveSandboxes,
        AlertMetric.ResponseTime => ResponseTimeP95Milliseconds,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an alert metric."),
    };
}
