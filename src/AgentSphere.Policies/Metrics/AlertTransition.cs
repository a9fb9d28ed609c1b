using System.Text.Json.Serialization;

namespace AgentSphere.Policies.Metrics;

/// <summary>A change of a metric's alert level, as logged and kept in the alert history.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertTransition>))]
public enum AlertTransition
{
    /// <summary>No alert before, one now.</summary>
    Raised,

    /// <summary>A higher level than before.</summary>
    Escalated,

    /// <summary>A lower level than before, but still an alert.</summary>
    DeEscalated,

    /// <summary>No alert any more.</summary>
    Resolved,
}
