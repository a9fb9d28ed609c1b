using System.Text.Json.Serialization;

namespace AgentSphere.Policies.Metrics;

/// <summary>How serious an alert is, in ascending order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertLevel>))]
public enum AlertLevel
{
    /// <summary>No alert.</summary>
    None = 0,

    /// <summary>At or above the warning threshold.</summary>
    Warning,

    /// <summary>At or above the critical threshold.</summary>
    Critical,

    /// <summary>At or above the emergency threshold.</summary>
    Emergency,
}
