using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Demo;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace AgentSphere.Gateway.Routing;

/// <summary>Checks and completes every YARP route and cluster as it loads: known operation names, the seed's health-check interval, and the demo fleet's destinations.</summary>
/// <remarks>An exception here rejects the whole configuration: at start-up the gateway stops, on a hot reload YARP keeps the running configuration.</remarks>
internal sealed class GatewayProxyConfigFilter(IOptionsMonitor<AgentSphereOptions> agentSphere, DemoFleet? demoFleet = null) : IProxyConfigFilter
{
    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var operation = AgentSphereOperation.Other;
        if (route.Metadata is not null
            && route.Metadata.TryGetValue(AgentSphereOperations.MetadataKey, out var name)
            && !AgentSphereOperations.TryParse(name, out operation))
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}': Metadata:{AgentSphereOperations.MetadataKey} is '{name}'; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
        }

        // Reads of cacheable operations go through the response cache, which decides per request (caching settings reload
        // without touching routes). A route that names its own OutputCachePolicy keeps it.
        if (route.OutputCachePolicy is null && ResponseCachingOptions.CacheableOperations.Contains(operation))
        {
            route = route with { OutputCachePolicy = ResponseCaching.PolicyName };
        }

        return ValueTask.FromResult(route);
    }

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        foreach (var (id, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            ValidateOperationList(cluster.ClusterId, id, destination, AgentSphereLoadBalancingPolicies.AllowedOperationsMetadataKey);
            ValidateOperationList(cluster.ClusterId, id, destination, AgentSphereLoadBalancingPolicies.PreferredOperationsMetadataKey);
        }

        if (demoFleet is not null)
        {
            cluster = cluster with { Destinations = demoFleet.Destinations };
        }

        if (cluster.HealthCheck?.Active is { Enabled: true, Interval: null } active)
        {
            var interval = TimeSpan.FromMilliseconds(agentSphere.CurrentValue.HealthCheckIntervalMs);
            cluster = cluster with
            {
                HealthCheck = cluster.HealthCheck with { Active = active with { Interval = interval } },
            };
        }

        return ValueTask.FromResult(cluster);
    }

    private static void ValidateOperationList(string clusterId, string destinationId, DestinationConfig destination, string key)
    {
        if (destination.Metadata?.TryGetValue(key, out var list) != true)
        {
            return;
        }

        foreach (var name in list!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!AgentSphereOperations.TryParse(name, out _))
            {
                throw new InvalidOperationException(
                    $"Cluster '{clusterId}', destination '{destinationId}': Metadata:{key} names '{name}'; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
            }
        }
    }
}
