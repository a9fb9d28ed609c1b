using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Admission;

/// <summary>Registers the admission layer.</summary>
public static class AdmissionServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IAdmissionController"/> and the CPU and heap sampler, bound to the <c>Admission</c> section and validated at start-up. The caller and quota stores come from <c>AddAgentSphereSharedState</c>.</summary>
    public static IServiceCollection AddAgentSphereAdmission(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdmissionOptions>, AdmissionOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProcessResourceSampler>();
        services.AddSingleton<IResourcePressureSource>(sp => sp.GetRequiredService<ProcessResourceSampler>());
        services.AddHostedService(sp => sp.GetRequiredService<ProcessResourceSampler>());
        services.AddSingleton<AdmissionController>(sp => new AdmissionController(
            sp.GetRequiredService<IOptions<AdmissionOptions>>(),
            sp.GetRequiredService<ICallerConcurrencyStore>(),
            sp.GetRequiredService<IDailyQuotaStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IResourcePressureSource>()));
        services.AddSingleton<IAdmissionController>(sp => sp.GetRequiredService<AdmissionController>());
        services.AddSingleton<IAdmissionPolicyInfo>(sp => sp.GetRequiredService<AdmissionController>());
        return services;
    }
}
