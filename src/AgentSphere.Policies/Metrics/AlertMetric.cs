using System.Text.Json.Serialization;

namespace AgentSphere.Policies.Metrics;

/// <summary>The values the seed report raises alerts on; each has warning, critical and emergency thresholds in <see cref="AlertOptions"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertMetric>))]
public enum AlertMetric
{
    /// <summary>Memory in use on the machine, percent.</summary>
    SystemMemory,

    /// <summary>CPU in use on the machine, percent of all cores.</summary>
    SystemCpu,

    /// <summary>The gateway process's memory, MB.</summary>
    GatewayMemory,

    /// <summary>Sandboxes running across the backends.</summary>
    ActiveSandboxes,

    /// <summary>The P95 response time of all operations over the metrics window, ms.</summary>
    ResponseTime,
}
