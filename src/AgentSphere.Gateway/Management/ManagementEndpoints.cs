using AgentSphere.Policies.Caching;
using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Gateway.Listeners;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Redis;
using Prometheus;

namespace AgentSphere.Gateway.Management;

/// <summary>The management listener's endpoints.</summary>
internal static class ManagementEndpoints
{
    public static RouteGroupBuilder MapManagementEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithMetadata(ManagementEndpointMetadata.Instance);

        group.MapGet("/healthz", (ISharedStateStatus sharedState) => TypedResults.Ok(new HealthReport("alive", null, null, SharedStateName(sharedState.State))));

        group.MapGet("/readyz", (BackendReadiness readiness) =>
        {
            var (healthy, total) = readiness.Count();
            return healthy > 0
                ? Results.Ok(new HealthReport("ready", healthy, total, null))
                : Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "No healthy backend",
                    detail: $"0 of {total} AgentSphere backends passed their health checks.",
                    extensions: new Dictionary<string, object?> { ["healthyBackends"] = 0, ["backends"] = total });
        });

        group.MapGet("/admin/backends", BackendsEndpoint.Get);
        group.MapGet("/admin/capacity", CapacityEndpoint.Get);

        var services = endpoints.ServiceProvider;
        var metrics = services.GetRequiredService<GatewayMetrics>();
        var admission = services.GetRequiredService<IAdmissionController>();
        var sharedState = services.GetRequiredService<ISharedStateStatus>();
        var cacheStatistics = services.GetRequiredService<OutputCacheStatistics>();
        var lastFallbacks = 0L;
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            var snapshot = admission.Snapshot();
            metrics.AdmissionInService.Set(snapshot.InService);
            for (var i = 0; i < snapshot.Waiting.Count; i++)
            {
                metrics.AdmissionWaiting.WithLabels(((RequestPriority)i).GetName()).Set(snapshot.Waiting[i]);
            }

            metrics.ProcessCpuPercent.Set(snapshot.Pressure.CpuPercent);
            metrics.ProcessHeapBytes.Set(snapshot.Pressure.HeapBytes);
            metrics.SharedStateAvailable.Set(sharedState.State == RedisState.Connected ? 1 : 0);
            var fallbacks = sharedState.LocalFallbacks;
            metrics.SharedStateFallbacks.Inc(Math.Max(0, fallbacks - Interlocked.Exchange(ref lastFallbacks, fallbacks)));
            metrics.UpdateCacheStore(cacheStatistics);
        });
        group.MapMetrics("/metrics", metrics.Registry);

        return group;
    }

    private static string SharedStateName(RedisState state) => state switch
    {
        RedisState.Connected => "shared",
        RedisState.Unavailable => "local-fallback",
        _ => "local",
    };

    /// <summary>The health body; <c>SharedState</c> says whether caller limits and quotas are shared through Redis (<c>shared</c>), local by configuration (<c>local</c>), or local because Redis is unreachable (<c>local-fallback</c>).</summary>
    internal sealed record HealthReport(
        string Status,
        int? HealthyBackends,
        int? Backends,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? SharedState);
}
