using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Tests.Redis;

public sealed class RedisServiceCollectionExtensionsTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AddAgentSphereSharedState_WithoutConfiguration_UsesInMemoryStores()
    {
        await using var services = Build([]);

        Assert.IsType<InMemoryCallerConcurrencyStore>(services.GetRequiredService<ICallerConcurrencyStore>());
        Assert.IsType<InMemoryDailyQuotaStore>(services.GetRequiredService<IDailyQuotaStore>());
        Assert.Equal(RedisState.NotConfigured, services.GetRequiredService<RedisConnection>().State);
    }

    [Fact]
    public async Task AddAgentSphereSharedState_WithConfiguration_UsesFailoverStoresSharingOneConnection()
    {
        await using var services = Build(new() { ["Redis:Configuration"] = fixture.Server.ConnectionString, ["Redis:Required"] = "true" });
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var concurrency = services.GetRequiredService<ICallerConcurrencyStore>();
        var quota = services.GetRequiredService<IDailyQuotaStore>();
        var grant = await concurrency.TryAcquireAsync(CallerIdentity.Compute("di-test-key"), 1, CancellationToken.None);

        Assert.IsType<FailoverCallerConcurrencyStore>(concurrency);
        Assert.IsType<FailoverDailyQuotaStore>(quota);
        Assert.Same(concurrency, services.GetRequiredService<ICallerConcurrencyStore>());
        Assert.True(grant.Acquired && grant.Shared);
        Assert.Equal(RedisState.Connected, services.GetRequiredService<RedisConnection>().State);
        await concurrency.ReleaseAsync(grant);
    }

    [Fact]
    public async Task AddAgentSphereSharedState_BadValue_FailsValidationNamingKey()
    {
        await using var services = Build(new() { ["Redis:FallbackShare"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RedisOptions>>().Value);

        Assert.Contains("Redis:FallbackShare", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddAgentSphereSharedState();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
