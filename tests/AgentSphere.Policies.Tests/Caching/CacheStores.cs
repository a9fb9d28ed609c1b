using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Tests.Caching;

/// <summary>Builds memory-only stores (Redis not configured) and test bodies.</summary>
internal static class CacheStores
{
    public static readonly TimeSpan LongLife = TimeSpan.FromMinutes(10);

    public static TieredOutputCacheStore InMemory(TimeProvider clock, Action<ResponseCacheStoreOptions>? configure = null, ILogger<TieredOutputCacheStore>? logger = null)
    {
        var options = new ResponseCacheStoreOptions();
        configure?.Invoke(options);
        var redisOptions = Options.Create(new RedisOptions());
        var connection = new RedisConnection(redisOptions, clock, NullLogger<RedisConnection>.Instance);
        return new TieredOutputCacheStore(Options.Create(options), redisOptions, connection, new OutputCacheStatistics(), clock, logger ?? NullLogger<TieredOutputCacheStore>.Instance);
    }

    /// <summary>A body of <paramref name="length"/> bytes, all <paramref name="fill"/>.</summary>
    public static byte[] Body(int length, byte fill = 1)
    {
        var body = new byte[length];
        Array.Fill(body, fill);
        return body;
    }
}
