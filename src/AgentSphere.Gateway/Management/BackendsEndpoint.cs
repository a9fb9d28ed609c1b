using AgentSphere.Policies.LoadBalancing;
using Yarp.ReverseProxy;

namespace AgentSphere.Gateway.Management;

/// <summary><c>GET /admin/backends</c>: per destination, its health and the signals and scores the load balancer uses, so an operator can see why traffic goes where it goes.</summary>
internal static class BackendsEndpoint
{
    public static IResult Get(IProxyStateLookup proxyState, LoadBalancingDiagnostics diagnostics)
    {
        var clusters = proxyState.GetClusters()
            .OrderBy(c => c.ClusterId, StringComparer.Ordinal)
            .Select(cluster => new ClusterView(
                cluster.ClusterId,
                cluster.Model.Config.LoadBalancingPolicy ?? "PowerOfTwoChoices",
                cluster.Destinations.Values
                    .OrderBy(d => d.DestinationId, StringComparer.Ordinal)
                    .Select(d => new DestinationView(
                        d.DestinationId,
                        d.Model.Config.Address,
                        new HealthView(d.Health.Active.ToString(), d.Health.Passive.ToString()),
                        diagnostics.Describe(d)))
                    .ToList()))
            .ToList();
        return TypedResults.Ok(new BackendsView(clusters));
    }

    internal sealed record BackendsView(IReadOnlyList<ClusterView> Clusters);

    internal sealed record ClusterView(string ClusterId, string LoadBalancingPolicy, IReadOnlyList<DestinationView> Destinations);

    internal sealed record DestinationView(string DestinationId, string Address, HealthView Health, DestinationDiagnostics Signals);

    internal sealed record HealthView(string Active, string Passive);
}
