using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Passive health (the circuit breaker) that ejects a destination when 5xx responses, timeouts and transport failures pass a rate or come several in a row, not only transport failures as YARP's built-in policy does.</summary>
/// <remarks>Outcomes are counted by <see cref="LoadSignalsRecorder"/>, which runs inside the passive-health step of the proxy pipeline; this policy judges the window afterwards.</remarks>
internal sealed class FailureRateHealthPolicy(
    DestinationSignalsStore store,
    IDestinationHealthUpdater healthUpdater,
    IOptionsMonitor<ScoredLoadBalancingOptions> options) : IPassiveHealthCheckPolicy
{
    /// <summary>Longest an ejected destination stays out when active probes are on and none has succeeded.</summary>
    internal static readonly TimeSpan ProbeReadmissionSafetyNet = TimeSpan.FromMinutes(10);

    public string Name => AgentSphereLoadBalancingPolicies.PassiveHealth;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var signals = store.Get(destination);
        if (!signals.FailureRateExceeded(store.Parameters) || !MayEject(cluster, destination, options.CurrentValue.MaxEjectionPercent))
        {
            return;
        }

        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod
            ?? TimeSpan.FromMilliseconds(options.CurrentValue.DefaultReactivationMs);

        // With active probes the circuit stays open until a probe succeeds (LoadReportingHealthPolicy readmits it then); the
        // period is only a safety net should probes stop. Without them, the period is what brings the destination back.
        if (cluster.Model.Config.HealthCheck?.Active?.Enabled == true)
        {
            reactivation = TimeSpan.FromTicks(Math.Max(reactivation.Ticks, ProbeReadmissionSafetyNet.Ticks));
        }
        signals.MarkEjected();
        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
    }

    /// <summary>Whether one more open circuit stays within <paramref name="maxPercent"/> of the cluster's destinations (one may always open).</summary>
    internal static bool MayEject(ClusterState cluster, DestinationState destination, int maxPercent)
    {
        var allowed = Math.Max(1, cluster.Destinations.Count * maxPercent / 100);
        var open = 0;
        foreach (var other in cluster.Destinations.Values)
        {
            if (!ReferenceEquals(other, destination) && other.Health.Passive == DestinationHealth.Unhealthy && ++open >= allowed)
            {
                return false;
            }
        }

        return true;
    }
}
