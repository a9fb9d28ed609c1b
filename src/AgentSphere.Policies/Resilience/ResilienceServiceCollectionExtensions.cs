using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Resilience;

/// <summary>Registers the resilience policies' options and shared state.</summary>
public static class ResilienceServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ResilienceOptions"/> bound to <c>Resilience</c> and validated at start-up, and the process-wide <see cref="RetryBudget"/>.</summary>
    public static IServiceCollection AddAgentSphereResilience(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ResilienceOptions>().BindConfiguration(ResilienceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
            return new RetryBudget(options.RetryBudgetPercent, options.RetryBudgetReserve);
        });
        return services;
    }
}
