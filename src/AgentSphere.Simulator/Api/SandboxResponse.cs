using System.Text.Json.Serialization;

namespace AgentSphere.Simulator.Api;

/// <summary>E2B's "Sandbox" shape, returned by create, resume and connect.</summary>
internal sealed record SandboxResponse(
    [property: JsonPropertyName("templateID")] string TemplateId,
    [property: JsonPropertyName("sandboxID")] string SandboxId,
    string? Alias,
    [property: JsonPropertyName("clientID")] string ClientId,
    string EnvdVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EnvdAccessToken,
    string? Domain);
