using System.Text.Json.Serialization;

namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>POST /sandboxes</c>.</summary>
internal sealed class NewSandboxRequest
{
    [JsonPropertyName("templateID")]
    public string? TemplateId { get; init; }

    /// <summary>Seconds until the sandbox expires; default 15, at most 50 hours.</summary>
    public int? Timeout { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public IReadOnlyDictionary<string, string>? EnvVars { get; init; }

    public bool? AutoPause { get; init; }

    public bool? Secure { get; init; }
}
