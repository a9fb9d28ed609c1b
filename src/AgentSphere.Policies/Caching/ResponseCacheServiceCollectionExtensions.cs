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
        services.TryAddSingleton<TieredOutputCacheStore>();
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore>(sp => sp.GetRequiredService<TieredOutputCacheStore>());
        return services;
    }
}
