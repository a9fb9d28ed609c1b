namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>GET /sandboxes/metrics</c>: the latest sample per sandbox id.</summary>
internal sealed record SandboxesMetricsResponse(IReadOnlyDictionary<string, SandboxMetricResponse> Sandboxes);
