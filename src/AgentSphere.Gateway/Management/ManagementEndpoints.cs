using AgentSphere.Gateway.Dashboard;
using AgentSphere.Policies.Metrics;
using Microsoft.Extensions.Options;
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

        // Everything but health needs the admin token (Management:AdminToken).
        var admin = group.MapGroup("/admin").AddEndpointFilter(AdminAuthorization.Filter);
        admin.MapGet("/backends", BackendsEndpoint.Get);
        admin.MapGet("/capacity", CapacityEndpoint.Get);
        admin.MapGet("/status", StatusEndpoint.GetStatus);
        admin.MapGet("/alerts", StatusEndpoint.GetAlerts);
        group.MapDashboard();

        var services = endpoints.ServiceProvider;
        var metrics = services.GetRequiredService<GatewayMetrics>();
        var admission = services.GetRequiredService<IAdmissionController>();
        var sharedState = services.GetRequiredService<ISharedStateStatus>();
        var cacheStatistics = services.GetRequiredService<OutputCacheStatistics>();
        var readings = services.GetRequiredService<GatewayAlertReadingsSource>();
        var alerts = services.GetRequiredService<IAlertEvaluator>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        metrics.StartTimeSeconds.Set(timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
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
            UpdateResourcesAndAlerts(metrics, readings, alerts);
            UpdateBackends(metrics, services);
        });
        var metricsEndpoint = group.MapMetrics("/metrics", metrics.Registry);
        if (services.GetRequiredService<IOptions<ManagementOptions>>().Value.ProtectMetrics)
        {
            metricsEndpoint.AddEndpointFilter(AdminAuthorization.Filter);
        }

        return group;
    }

    private static void UpdateResourcesAndAlerts(GatewayMetrics metrics, GatewayAlertReadingsSource readings, IAlertEvaluator alerts)
    {
        metrics.ProcessWorkingSetBytes.Set(Environment.WorkingSet);
        if (readings.Latest is { } latest)
        {
            if (latest.SystemCpuPercent is { } cpu)
            {
                metrics.SystemCpuPercent.Set(cpu);
            }

            if (latest.SystemMemoryPercent is { } memory)
            {
                metrics.SystemMemoryPercent.Set(memory);
            }
        }

        if (readings.ActiveSandboxes() is { } sandboxes)
        {
            metrics.ActiveSandboxes.Set(sandboxes);
        }

        var active = alerts.Snapshot().Active;
        foreach (var metric in AlertMetrics.All)
        {
            metrics.SetAlertLevel(metric, active.FirstOrDefault(a => a.Metric == metric)?.Level ?? AlertLevel.None);
        }
    }

    private static void UpdateBackends(GatewayMetrics metrics, IServiceProvider services)
    {
        foreach (var backend in StatusEndpoint.Backends(services))
        {
            metrics.BackendHealthy.WithLabels(backend.DestinationId).Set(backend.Healthy ? 1 : 0);
            if (backend.ListScore is { } score)
            {
                metrics.BackendScore.WithLabels(backend.DestinationId).Set(score);
            }

            if (backend.Cpu is { } cpu)
            {
                metrics.BackendCpuRatio.WithLabels(backend.DestinationId).Set(cpu);
            }

            if (backend.Memory is { } memory)
            {
                metrics.BackendMemoryRatio.WithLabels(backend.DestinationId).Set(memory);
            }

            if (backend.QueueLength is { } queue)
            {
                metrics.BackendQueueLength.WithLabels(backend.DestinationId).Set(queue);
            }
        }
    }

    internal static string SharedStateName(RedisState state) => state switch
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
