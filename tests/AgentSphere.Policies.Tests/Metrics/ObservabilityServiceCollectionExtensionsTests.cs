using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class ObservabilityServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddAgentSphereObservability_Defaults_ResolvesSingletonsAndTheHostedService()
    {
        await using var provider = Build([]);

        var window = provider.GetRequiredService<OperationLatencyWindow>();
        Assert.Same(window, provider.GetRequiredService<ILatencyRecorder>());
        Assert.Same(provider.GetRequiredService<KpiTracker>(), provider.GetRequiredService<IKpiTracker>());
        Assert.Same(provider.GetRequiredService<AlertEvaluator>(), provider.GetRequiredService<IAlertEvaluator>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<AlertEvaluationService>());
        Assert.Equal(TimeSpan.FromSeconds(60), window.Window);

        provider.GetRequiredService<ILatencyRecorder>().Record(AgentSphereOperation.List, TimeSpan.FromMilliseconds(5), 200);
        Assert.Equal(1, provider.GetRequiredService<IKpiTracker>().Snapshot().Requests);
    }

    [Fact]
    public async Task AddAgentSphereObservability_OneThresholdConfigured_KeepsTheOtherDefaults()
    {
        await using var provider = Build(new() { ["Alerts:SystemCpu:Critical"] = "75", ["Alerts:HistorySize"] = "50", ["Metrics:Window"] = "00:02:00" });

        var options = provider.GetRequiredService<IOptions<AlertOptions>>().Value;

        Assert.Equal((60.0, 75.0, 90.0), (options.SystemCpu.Warning, options.SystemCpu.Critical, options.SystemCpu.Emergency));
        Assert.Equal(50, options.HistorySize);
        Assert.Equal(TimeSpan.FromMinutes(2), provider.GetRequiredService<OperationLatencyWindow>().Window);
    }

    [Theory]
    [InlineData("Alerts:SystemCpu:Critical", "50", "Alerts:SystemCpu:Critical must be greater than Alerts:SystemCpu:Warning")]
    [InlineData("Metrics:Window", "00:00:01", "Metrics:Window must be whole seconds")]
    public async Task AddAgentSphereObservability_BadValue_FailsValidationNamingKey(string key, string value, string expected)
    {
        await using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<AlertOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton<IAlertReadingsSource, ScriptedAlertReadingsSource>();
        services.AddAgentSphereObservability();
        services.AddAgentSphereObservability(); // twice: still one of each
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
