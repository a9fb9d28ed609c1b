using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Passive health that ejects a destination when 5xx responses, timeouts and transport failures pass a rate, not only transport failures as YARP's built-in policy does.</summary>
/// <remarks>Outcomes are counted by <see cref="LoadSignalsRecorder"/>, which runs inside the passive-health step of the proxy pipeline; this policy judges the window afterwards.</remarks>
internal sealed class FailureRateHealthPolicy(
    DestinationSignalsStore store,
    IDestinationHealthUpdater healthUpdater,
    IOptionsMonitor<ScoredLoadBalancingOptions> options) : IPassiveHealthCheckPolicy
{
    public string Name => AgentSphereLoadBalancingPolicies.PassiveHealth;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var signals = store.Get(destination);
        if (!signals.FailureRateExceeded(store.Parameters))
        {
            return;
        }

        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod
            ?? TimeSpan.FromMilliseconds(options.CurrentValue.DefaultReactivationMs);
        signals.MarkEjected();
        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
    }
}
