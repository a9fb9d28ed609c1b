using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Redis;

/// <summary>Reports the Redis connection's state and the failover stores' fallback counts.</summary>
internal sealed class SharedStateStatus(IServiceProvider services, IOptions<RedisOptions> options) : ISharedStateStatus
{
    private readonly bool _configured = options.Value.IsConfigured;

    public RedisState State => _configured ? services.GetRequiredService<RedisConnection>().State : RedisState.NotConfigured;

    public long LocalFallbacks => _configured
        ? services.GetRequiredService<FailoverCallerConcurrencyStore>().LocalFallbacks + services.GetRequiredService<FailoverDailyQuotaStore>().LocalFallbacks
        : 0;
}
