using System.Text.Json.Serialization;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>Source-generated JSON for the responses the workload reads.</summary>
[JsonSerializable(typeof(CreatedSandbox))]
internal sealed partial class WorkloadJsonContext : JsonSerializerContext;
