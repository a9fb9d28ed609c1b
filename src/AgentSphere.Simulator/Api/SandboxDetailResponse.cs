using System.Text.Json.Serialization;

namespace AgentSphere.Simulator.Api;

/// <summary>E2B's "SandboxDetail" shape, returned by <c>GET /sandboxes/{id}</c>.</summary>
internal sealed record SandboxDetailResponse(
    [property: JsonPropertyName("templateID")] string TemplateId,
    string? Alias,
    [property: JsonPropertyName("sandboxID")] string SandboxId,
    [property: JsonPropertyName("clientID")] string ClientId,
    DateTime StartedAt,
    DateTime EndAt,
    string EnvdVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EnvdAccessToken,
    string? Domain,
    int CpuCount,
    [property: JsonPropertyName("memoryMB")] int MemoryMB,
    [property: JsonPropertyName("diskSizeMB")] int DiskSizeMB,
    IReadOnlyDictionary<string, string> Metadata,
    string State);
