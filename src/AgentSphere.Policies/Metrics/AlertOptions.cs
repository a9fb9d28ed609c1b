namespace AgentSphere.Policies.Metrics;

/// <summary>Alerting (section <c>Alerts</c>): the seed report's warning / critical / emergency thresholds and how often they are checked.</summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section, <c>Alerts</c>.</summary>
    public const string SectionName = "Alerts";

    /// <summary>Whether alerts are evaluated at all; default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the readings are evaluated, 1 s to 1 h; default 5 s (the dashboard's refresh).</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Alert transitions kept in the history, newest first, 1 to 10000; default 200.</summary>
    public int HistorySize { get; set; } = 200;

    /// <summary>How far below its threshold, in percent of the threshold, a value must drop before its level clears, 0 to 50; default 5 (a 80 % CPU alert clears below 76 %), so a value hovering at a threshold does not flap.</summary>
    public double HysteresisPercent { get; set; } = 5;

    /// <summary>Machine memory in use, percent (at most 100); default 70 / 85 / 95.</summary>
    public AlertThresholds SystemMemory { get; set; } = new(70, 85, 95);

    /// <summary>Machine CPU in use, percent of all cores (at most 100); default 60 / 80 / 90.</summary>
    public AlertThresholds SystemCpu { get; set; } = new(60, 80, 90);

    /// <summary>The gateway process's memory, MB; default 400 / 600 / 800.</summary>
    public AlertThresholds GatewayMemory { get; set; } = new(400, 600, 800);

    /// <summary>Sandboxes running across the backends; default 30 / 45 / 50.</summary>
    public AlertThresholds ActiveSandboxes { get; set; } = new(30, 45, 50);

    /// <summary>The P95 response time of all operations over the metrics window (<c>Metrics:Window</c>), ms; default 1000 / 2000 / 5000.</summary>
    public AlertThresholds ResponseTime { get; set; } = new(1000, 2000, 5000);

    /// <summary>The thresholds of <paramref name="metric"/>.</summary>
    public AlertThresholds GetThresholds(AlertMetric metric) => metric switch
    {
        AlertMetric.SystemMemory => SystemMemory,
        AlertMetric.SystemCpu => SystemCpu,
        AlertMetric.GatewayMemory => GatewayMemory,
        AlertMetric.ActiveSandboxes => ActiveSandboxes,
        AlertMetric.ResponseTime => ResponseTime,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an alert metric."),
    };
}
