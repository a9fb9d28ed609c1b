using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Demo;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace AgentSphere.Gateway.Routing;

/// <summary>Checks and completes every YARP route and cluster as it loads: known policy and operation names, positive timeouts, absolute destination addresses, the seed's health-check interval, and the demo fleet's destinations.</summary>
/// <remarks>
/// An exception here rejects the whole configuration: at start-up the gateway stops, on a hot reload YARP keeps the
/// running configuration. Every message names yarp.json's path, the key path (<c>ReverseProxy:Clusters:agentsphere:LoadBalancingPolicy</c>)
/// and the allowed values; YARP's own validation, which runs after the filter, names neither the file nor the values.
/// </remarks>
internal sealed class GatewayProxyConfigFilter(
    IOptionsMonitor<AgentSphereOptions> agentSphere,
    ConfigFileStatus yarpFile,
    IEnumerable<ILoadBalancingPolicy> loadBalancingPolicies,
    IEnumerable<IActiveHealthCheckPolicy> activeHealthPolicies,
    IEnumerable<IPassiveHealthCheckPolicy> passiveHealthPolicies,
    IEnumerable<IAvailableDestinationsPolicy> availableDestinationsPolicies,
    IOptionsMonitor<RequestTimeoutOptions> requestTimeouts,
    DemoFleet? demoFleet = null) : IProxyConfigFilter
{
    // YARP's reserved policy values, accepted beside the registered names.
    private const string DefaultPolicy = "Default";
    private const string DisablePolicy = "Disable";
    private const string AnonymousPolicy = "Anonymous";

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var key = $"ReverseProxy:Routes:{route.RouteId}";
        var errors = new List<string>();
        if (route.ClusterId is { Length: > 0 } clusterId && cluster is null)
        {
            errors.Add($"{key}:ClusterId is '{clusterId}', which names no cluster under ReverseProxy:Clusters.");
        }

        var operation = AgentSphereOperation.Other;
        if (route.Metadata is not null
            && route.Metadata.TryGetValue(AgentSphereOperations.MetadataKey, out var name)
            && !AgentSphereOperations.TryParse(name, out operation))
        {
            errors.Add($"Route '{route.RouteId}': {key}:Metadata:{AgentSphereOperations.MetadataKey} is '{name}'; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
        }

        // The gateway registers one output cache policy and no rate limiter or authorization policies (its admission
        // layer limits requests; the admin token guards the management plane only).
        Name(errors, $"{key}:OutputCachePolicy", route.OutputCachePolicy, [ResponseCaching.PolicyName]);
        Name(errors, $"{key}:RateLimiterPolicy", route.RateLimiterPolicy, [DefaultPolicy, DisablePolicy]);
        Name(errors, $"{key}:AuthorizationPolicy", route.AuthorizationPolicy, [AnonymousPolicy]);
        Name(errors, $"{key}:TimeoutPolicy", route.TimeoutPolicy, [.. requestTimeouts.CurrentValue.Policies.Keys.Order(StringComparer.Ordinal), DisablePolicy]);
        Positive(errors, $"{key}:Timeout", route.Timeout);
        Throw(errors);

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
        var key = $"ReverseProxy:Clusters:{cluster.ClusterId}";
        var errors = new List<string>();
        Name(errors, $"{key}:LoadBalancingPolicy", cluster.LoadBalancingPolicy, loadBalancingPolicies.Select(p => p.Name));
        if (cluster.HealthCheck is { } health)
        {
            Name(errors, $"{key}:HealthCheck:AvailableDestinationsPolicy", health.AvailableDestinationsPolicy, availableDestinationsPolicies.Select(p => p.Name));
            Name(errors, $"{key}:HealthCheck:Active:Policy", health.Active?.Policy, activeHealthPolicies.Select(p => p.Name));
            Name(errors, $"{key}:HealthCheck:Passive:Policy", health.Passive?.Policy, passiveHealthPolicies.Select(p => p.Name));
            Positive(errors, $"{key}:HealthCheck:Active:Interval", health.Active?.Interval);
            Positive(errors, $"{key}:HealthCheck:Active:Timeout", health.Active?.Timeout);
            Positive(errors, $"{key}:HealthCheck:Passive:ReactivationPeriod", health.Passive?.ReactivationPeriod);
        }

        Positive(errors, $"{key}:HttpRequest:ActivityTimeout", cluster.HttpRequest?.ActivityTimeout);
        foreach (var (id, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            Address(errors, $"{key}:Destinations:{id}:Address", destination.Address);
            if (destination.Health is { Length: > 0 } healthAddress)
            {
                Address(errors, $"{key}:Destinations:{id}:Health", healthAddress);
            }

            ValidateOperationList(errors, cluster.ClusterId, id, destination, AgentSphereLoadBalancingPolicies.AllowedOperationsMetadataKey);
            ValidateOperationList(errors, cluster.ClusterId, id, destination, AgentSphereLoadBalancingPolicies.PreferredOperationsMetadataKey);
        }

        Throw(errors);
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

    private static void ValidateOperationList(List<string> errors, string clusterId, string destinationId, DestinationConfig destination, string key)
    {
        if (destination.Metadata?.TryGetValue(key, out var list) != true)
        {
            return;
        }

        foreach (var name in list!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!AgentSphereOperations.TryParse(name, out _))
            {
                errors.Add(
                    $"Cluster '{clusterId}', destination '{destinationId}': Metadata:{key} names '{name}'; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
            }
        }
    }

    private static void Name(List<string> errors, string key, string? value, IEnumerable<string> allowed)
    {
        var names = allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (value is { Length: > 0 } && !names.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{key} is '{value}'; allowed: {(names.Count == 0 ? "none (leave it out)" : string.Join(", ", names))}.");
        }
    }

    private static void Positive(List<string> errors, string key, TimeSpan? value)
    {
        if (value is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add($"{key} is {timeout:c}; allowed: a positive duration (hh:mm:ss).");
        }
    }

    private static void Address(List<string> errors, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            errors.Add($"{key} is '{value}'; allowed: an absolute http:// or https:// URL such as http://127.0.0.1:3001/.");
        }
    }

    private void Throw(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"{yarpFile.Path}: {string.Join(" ", errors)}");
        }
    }
}
