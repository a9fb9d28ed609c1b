using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Registers the scored load-balancing policy and its health policies with YARP.</summary>
public static class LoadBalancingServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AgentSphereLoadBalancingPolicies.Scored"/>, <see cref="AgentSphereLoadBalancingPolicies.ActiveHealth"/> and <see cref="AgentSphereLoadBalancingPolicies.PassiveHealth"/>, bound to the <c>LoadBalancing</c> section and validated at start-up.</summary>
    public static IServiceCollection AddAgentSphereLoadBalancing(this IServiceCollection services)
    {
        services.AddOptions<ScoredLoadBalancingOptions>().BindConfiguration(ScoredLoadBalancingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScoredLoadBalancingOptions>, ScoredLoadBalancingOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRandomSource, SharedRandomSource>();
        services.AddSingleton<DestinationSignalsStore>();
        services.AddSingleton(sp => new LoadSignalsRecorder(sp.GetRequiredService<DestinationSignalsStore>()));
        services.AddSingleton(sp => new LoadBalancingDiagnostics(sp.GetRequiredService<DestinationSignalsStore>()));
        services.AddSingleton<ILoadBalancingPolicy, ScoredLoadBalancingPolicy>();
        services.AddSingleton<IActiveHealthCheckPolicy, LoadReportingHealthPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy, FailureRateHealthPolicy>();
        return services;
    }
}
