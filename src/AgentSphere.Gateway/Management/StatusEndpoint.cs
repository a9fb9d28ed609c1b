using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Gateway.Routing;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using AgentSphere.Policies.Redis;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Management;

/// <summary><c>GET /admin/status</c> and <c>GET /admin/alerts</c>: the seed's KPIs with live P50/P95/P99 per operation, resources, backends, alerts, cache and configuration state, as JSON for the dashboard and for scripts.</summary>
internal static class StatusEndpoint
{
    public static IResult GetStatus(HttpContext context)
    {
        var services = context.RequestServices;
        var kpis = services.GetRequiredService<IKpiTracker>().Snapshot();
        var alerts = services.GetRequiredService<IAlertEvaluator>().Snapshot();
        var readings = services.GetRequiredService<GatewayAlertReadingsSource>();
        var admission = services.GetRequiredService<IAdmissionController>().Snapshot();
        var cache = services.GetRequiredService<OutputCacheStatistics>();
        var sharedState = services.GetRequiredService<ISharedStateStatus>();
        var yarp = services.GetRequiredService<ConfigFileStatus>();
        var monitor = services.GetRequiredService<ProxyConfigMonitor>();
        var latest = readings.Latest;

        var snapshot = cache.Snapshot();
        var lookups = snapshot.TotalHits + snapshot.Misses;
        return TypedResults.Ok(new StatusView(
            "ok",
            kpis,
            new ResourcesView(
                latest?.SystemCpuPercent,
                latest?.SystemMemoryPercent,
                Math.Round(Environment.WorkingSet / (1024.0 * 1024.0), 1),
                Math.Round(admission.Pressure.HeapBytes / (1024.0 * 1024.0), 1),
                Math.Round(admission.Pressure.CpuPercent, 1),
                readings.ActiveSandboxes()),
            new AlertsSummary(alerts.Active.Count, alerts.Active),
            new AdmissionView(admission.InService, RequestPriorities.Names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => admission.Waiting[p.i])),
            new CacheView(
                lookups == 0 ? null : Math.Round(100.0 * snapshot.TotalHits / lookups, 1),
                snapshot.Hits(OutputCacheTier.L1),
                snapshot.Hits(OutputCacheTier.L2),
                snapshot.Hits(OutputCacheTier.Redis),
                snapshot.Misses,
                cache.Size(OutputCacheTier.L1).Entries,
                cache.Size(OutputCacheTier.L2).Entries),
            Backends(services),
            ManagementEndpoints.SharedStateName(sharedState.State),
            new ConfigurationView(yarp.Path, yarp.SuccessfulLoads, yarp.LastError ?? monitor.LastRejection, yarp.LastError is not null ? yarp.LastErrorAt : monitor.LastRejectionAt)));
    }

    public static IResult GetAlerts(IAlertEvaluator evaluator) => TypedResults.Ok(evaluator.Snapshot());

    internal static IReadOnlyList<BackendView> Backends(IServiceProvider services)
    {
        var proxyState = services.GetRequiredService<IProxyStateLookup>();
        var diagnostics = services.GetRequiredService<LoadBalancingDiagnostics>();
        var backends = new List<BackendView>();
        foreach (var cluster in proxyState.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal))
        {
            foreach (var destination in cluster.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal))
            {
                var signals = diagnostics.Describe(destination);
                backends.Add(new BackendView(
                    cluster.ClusterId,
                    destination.DestinationId,
                    IsHealthy(destination),
                    destination.Health.Active.ToString(),
                    destination.Health.Passive.ToString(),
                    signals.Scores.TryGetValue(AgentSphereOperation.List.GetName(), out var score) ? score : null,
                    signals.Report?.Cpu,
                    signals.Report?.Memory,
                    signals.Report?.QueueLength,
                    signals.InFlight,
                    signals.ActiveSandboxes));
            }
        }

        return backends;
    }

    internal static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    internal sealed record StatusView(
        string Status,
        KpiSnapshot Kpis,
        ResourcesView Resources,
        AlertsSummary Alerts,
        AdmissionView Admission,
        CacheView Cache,
        IReadOnlyList<BackendView> Backends,
        string SharedState,
        ConfigurationView Configuration);

    internal sealed record ResourcesView(
        double? SystemCpuPercent,
        double? SystemMemoryPercent,
        double GatewayWorkingSetMegabytes,
        double GatewayHeapMegabytes,
        double GatewayCpuPercent,
        int? ActiveSandboxes);

    internal sealed record AlertsSummary(int ActiveCount, IReadOnlyList<ActiveAlert> Active);

    internal sealed record AdmissionView(int InService, IReadOnlyDictionary<string, int> Waiting);

    internal sealed record CacheView(double? HitRatioPercent, long L1Hits, long L2Hits, long RedisHits, long Misses, int L1Entries, int L2Entries);

    internal sealed record BackendView(
        string ClusterId,
        string DestinationId,
        bool Healthy,
        string ActiveHealth,
        string PassiveHealth,
        double? ListScore,
        double? Cpu,
        double? Memory,
        int? QueueLength,
        int InFlight,
        int? ActiveSandboxes);

    internal sealed record ConfigurationView(string YarpPath, int SuccessfulLoads, string? LastError, DateTimeOffset? LastErrorAt);
}
