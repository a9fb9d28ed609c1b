using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Metrics;

/// <summary>Registers live latency percentiles, KPIs and alerts.</summary>
public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ILatencyRecorder"/>, <see cref="IKpiTracker"/>, <see cref="IAlertEvaluator"/> and the hosted service that evaluates alerts, bound to the <c>Metrics</c> and <c>Alerts</c> sections and validated at start-up. The host registers the <see cref="IAlertReadingsSource"/>.</summary>
    public static IServiceCollection AddAgentSphereObservability(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>());
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<OperationLatencyWindow>();
        services.TryAddSingleton<ILatencyRecorder>(sp => sp.GetRequiredService<OperationLatencyWindow>());
        services.TryAddSingleton<KpiTracker>();
        services.TryAddSingleton<IKpiTracker>(sp => sp.GetRequiredService<KpiTracker>());
        services.TryAddSingleton<AlertEvaluator>();
        services.TryAddSingleton<IAlertEvaluator>(sp => sp.GetRequiredService<AlertEvaluator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AlertEvaluationService>());
        return services;
    }
}
