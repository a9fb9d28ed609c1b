using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentSphere.Simulator.Api;

/// <summary>Source-generated JSON metadata for every body the simulator reads or writes (web defaults: camelCase, case-insensitive reads).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(NewSandboxRequest))]
[JsonSerializable(typeof(TimeoutRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(ResumeRequest))]
[JsonSerializable(typeof(SandboxResponse))]
[JsonSerializable(typeof(SandboxDetailResponse))]
[JsonSerializable(typeof(ListedSandboxResponse[]))]
[JsonSerializable(typeof(SandboxMetricResponse[]))]
[JsonSerializable(typeof(SandboxesMetricsResponse))]
[JsonSerializable(typeof(SandboxLogsResponse))]
[JsonSerializable(typeof(SandboxLogsV2Response))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(SimulatorFaults))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext
{
}
