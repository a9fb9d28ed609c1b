using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Redis;
using AgentSphere.Policies.Tests.Infrastructure;
using AgentSphere.Policies.Tests.Redis;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Tests.Caching;

/// <summary>The response cache of one gateway instance: its own Redis connection and a <see cref="TieredOutputCacheStore"/> on it.</summary>
internal sealed class CacheNode : IAsyncDisposable
{
    private CacheNode(GatewayNode gateway, TieredOutputCacheStore store, CollectingLogger<TieredOutputCacheStore> logger)
    {
        Gateway = gateway;
        Store = store;
        Logger = logger;
    }

    public GatewayNode Gateway { get; }

    public TieredOutputCacheStore Store { get; }

    public CollectingLogger<TieredOutputCacheStore> Logger { get; }

    /// <summary>A node connected to Redis; the store's clock is <paramref name="clock"/>, the connection's too unless it is a fake one.</summary>
    public static async Task<CacheNode> ConnectAsync(
        string configuration,
        string keyPrefix,
        TimeProvider? clock = null,
        Action<RedisOptions>? configureRedis = null,
        TimeProvider? connectionClock = null)
    {
        clock ??= TimeProvider.System;
        var gateway = await GatewayNode.ConnectAsync(configuration, keyPrefix, configureRedis, connectionClock ?? TimeProvider.System);
        var logger = new CollectingLogger<TieredOutputCacheStore>();
        var store = new TieredOutputCacheStore(
            Options.Create(new ResponseCacheStoreOptions()), Options.Create(gateway.Settings), gateway.Connection, new OutputCacheStatistics(), clock, logger);
        return new CacheNode(gateway, store, logger);
    }

    /// <summary>Waits until the store receives other instances' tag evictions, so a test's broadcast cannot go unheard.</summary>
    public Task ListeningAsync() => Eventually.TrueAsync(() => Store.IsListeningForEvictions, "the eviction subscription");

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Gateway.DisposeAsync();
    }
}
