using AgentSphere.Policies.Caching;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Tests.Caching;

public sealed class ResponseCacheServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddAgentSphereResponseCacheStore_BeforeOrAfterAddOutputCache_ResolvesTieredStore()
    {
        await using var before = Build([], services => services.AddOutputCache().AddAgentSphereResponseCacheStore());
        await using var after = Build([], services => services.AddAgentSphereResponseCacheStore().AddOutputCache());

        foreach (var provider in new[] { before, after })
        {
            var store = provider.GetRequiredService<IOutputCacheStore>();
            var tiered = Assert.IsType<TieredOutputCacheStore>(store);
            Assert.Same(provider.GetRequiredService<TieredOutputCacheStore>(), tiered);
            Assert.Same(provider.GetRequiredService<OutputCacheStatistics>(), tiered.Statistics);
            Assert.False(tiered.UsesRedis);
        }
    }

    [Fact]
    public async Task AddAgentSphereResponseCacheStore_ConfiguredSection_BindsTierBounds()
    {
        await using var provider = Build(
            new() { ["Caching:Store:L1MaxEntries"] = "7", ["Caching:Store:L2MaxLifetime"] = "00:02:00", ["Caching:Store:MaxEntryBytes"] = "1024" },
            services => services.AddAgentSphereResponseCacheStore());

        var store = provider.GetRequiredService<TieredOutputCacheStore>();
        await store.SetAsync("k", CacheStores.Body(1025), [], CacheStores.LongLife, CancellationToken.None);

        Assert.Equal(7, store.L1.MaxEntries);
        Assert.Equal(TimeSpan.FromMinutes(2), store.L2.MaxLifetime);
        Assert.Equal(1, store.Statistics.Snapshot().RejectedTooLarge);
    }

    [Fact]
    public async Task AddAgentSphereResponseCacheStore_BadValue_FailsValidationNamingKey()
    {
        await using var provider = Build(new() { ["Caching:Store:L2MaxEntries"] = "0" }, services => services.AddAgentSphereResponseCacheStore());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ResponseCacheStoreOptions>>().Value);

        Assert.Contains("Caching:Store:L2MaxEntries", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
