using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Management;

/// <summary>Counts the backends that can take traffic now, from YARP's active and passive health state.</summary>
internal sealed class BackendReadiness(IProxyStateLookup proxyState)
{
    /// <summary>Healthy destinations and all destinations, over every cluster.</summary>
    public (int Healthy, int Total) Count()
    {
        var healthy = 0;
        var total = 0;
        foreach (var cluster in proxyState.GetClusters())
        {
            var activeEnabled = cluster.Model.Config.HealthCheck?.Active?.Enabled == true;
            foreach (var destination in cluster.Destinations.Values)
            {
                total++;
                if (IsHealthy(destination, activeEnabled))
                {
                    healthy++;
                }
            }
        }

        return (healthy, total);
    }

    // With active probes on, a destination counts only once a probe has succeeded; "unknown" is not ready.
    private static bool IsHealthy(DestinationState destination, bool activeEnabled)
    {
        var health = destination.Health;
        if (health.Passive == DestinationHealth.Unhealthy)
        {
            return false;
        }

        return activeEnabled ? health.Active == DestinationHealth.Healthy : health.Active != DestinationHealth.Unhealthy;
    }
}
