using AgentSphere.Policies.Redis;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Caching;

/// <summary>Registers the response cache's tiered store.</summary>
public static class ResponseCacheServiceCollectionExtensions
{
    /// <summary>
    /// Adds the tiered <see cref="IOutputCacheStore"/> (replacing any registered before or after by <c>AddOutputCache</c>, which only
    /// adds its memory store when none is registered), <see cref="OutputCacheStatistics"/>, and <see cref="ResponseCacheStoreOptions"/>
    /// bound to <c>Caching:Store</c> and validated at start-up. Calls <c>AddAgentSphereSharedState</c> (idempotent) for the Redis connection.
    /// </summary>
    public static IServiceCollection AddAgentSphereResponseCacheStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAgentSphereSharedState();
        services.AddOptions<ResponseCacheStoreOptions>().BindConfiguration(ResponseCacheStoreOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResponseCacheStoreOptions>, ResponseCacheStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutputCacheStatistics>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<TieredOutputCacheStore>(
            sp, sp.GetKeyedService<TimeProvider>(ResponseCaching.ClockServiceKey) ?? sp.GetRequiredService<TimeProvider>()));
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore>(sp => sp.GetRequiredService<TieredOutputCacheStore>());
        return services;
    }

    /// <summary>
    /// Adds the response cache: ASP.NET Core output caching over the tiered store, the <see cref="ResponseCaching.PolicyName"/> policy
    /// (routes name it in <c>OutputCachePolicy</c>), <see cref="ResponseCachingOptions"/> bound to <c>Caching</c> and validated at
    /// start-up, and the <see cref="IResponseCacheInvalidator"/> writes use. The host adds <c>UseOutputCache()</c> to its pipeline.
    /// </summary>
    public static IServiceCollection AddAgentSphereResponseCaching(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAgentSphereResponseCacheStore();
        services.AddOptions<ResponseCachingOptions>().BindConfiguration(ResponseCachingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResponseCachingOptions>, ResponseCachingOptionsValidator>());
        services.TryAddSingleton<AgentSphereOutputCachePolicy>();
        services.TryAddSingleton<IResponseCacheInvalidator, ResponseCacheInvalidator>();
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<AgentSphereOutputCachePolicy, IOptions<ResponseCacheStoreOptions>>((options, policy, store) =>
        {
            options.AddPolicy(ResponseCaching.PolicyName, policy);

            // Sandbox ids are case-sensitive; and a body the store would refuse is not buffered at all.
            options.UseCaseSensitivePaths = true;
            options.MaximumBodySize = store.Value.MaxEntryBytes;
        });
        return services;
    }
}
