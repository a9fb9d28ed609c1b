using System.Text.Json.Serialization;

namespace AgentSphere.Simulator.Api;

/// <summary>E2B's "ListedSandbox" shape, the items of the list endpoints.</summary>
internal sealed record ListedSandboxResponse(
    [property: JsonPropertyName("templateID")] string TemplateId,
    string? Alias,
    [property: JsonPropertyName("sandboxID")] string SandboxId,
    [property: JsonPropertyName("clientID")] string ClientId,
    DateTime StartedAt,
    DateTime EndAt,
    int CpuCount,
    [property: JsonPropertyName("memoryMB")] int MemoryMB,
    [property: JsonPropertyName("diskSizeMB")] int DiskSizeMB,
    string State,
    IReadOnlyDictionary<string, string> Metadata,
    string EnvdVersion);
