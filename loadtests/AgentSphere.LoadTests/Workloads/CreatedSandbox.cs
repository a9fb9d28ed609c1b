using System.Text.Json.Serialization;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>The one field of a create's response the workload needs.</summary>
internal sealed record CreatedSandbox([property: JsonPropertyName("sandboxID")] string? SandboxId);
