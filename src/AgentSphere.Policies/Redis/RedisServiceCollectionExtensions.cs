using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Redis;

/// <summary>Registers the concurrency and quota stores that gateway instances share through Redis.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ICallerConcurrencyStore"/>, <see cref="IDailyQuotaStore"/> and <see cref="IIdempotencyStore"/>: shared through Redis with local failover when <c>Redis:Configuration</c> is set, local otherwise; <see cref="RedisOptions"/> are bound to the <c>Redis</c> section and validated at start-up.</summary>
    public static IServiceCollection AddAgentSphereSharedState(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisConnection>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisStartupService>());
        services.TryAddSingleton<InMemoryCallerConcurrencyStore>();
        services.TryAddSingleton<InMemoryDailyQuotaStore>();
        services.TryAddSingleton<RedisCallerConcurrencyStore>();
        services.TryAddSingleton<RedisDailyQuotaStore>();
        services.TryAddSingleton<FailoverCallerConcurrencyStore>();
        services.TryAddSingleton<FailoverDailyQuotaStore>();
        services.TryAddSingleton<ICallerConcurrencyStore>(sp => IsConfigured(sp)
            ? sp.GetRequiredService<FailoverCallerConcurrencyStore>()
            : sp.GetRequiredService<InMemoryCallerConcurrencyStore>());
        services.TryAddSingleton<IDailyQuotaStore>(sp => IsConfigured(sp)
            ? sp.GetRequiredService<FailoverDailyQuotaStore>()
            : sp.GetRequiredService<InMemoryDailyQuotaStore>());
        services.TryAddSingleton<InMemoryIdempotencyStore>();
        services.TryAddSingleton<RedisIdempotencyStore>();
        services.TryAddSingleton<FailoverIdempotencyStore>();
        services.TryAddSingleton<IIdempotencyStore>(sp => IsConfigured(sp)
            ? sp.GetRequiredService<FailoverIdempotencyStore>()
            : sp.GetRequiredService<InMemoryIdempotencyStore>());
        services.TryAddSingleton<ISharedStateStatus, SharedStateStatus>();
        return services;
    }

    private static bool IsConfigured(IServiceProvider services) => services.GetRequiredService<IOptions<RedisOptions>>().Value.IsConfigured;
}
