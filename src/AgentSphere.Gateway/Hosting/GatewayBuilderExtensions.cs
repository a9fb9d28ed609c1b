using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Redis;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Demo;
using AgentSphere.Gateway.Forwarding;
using AgentSphere.Gateway.Limits;
using AgentSphere.Gateway.Listeners;
using AgentSphere.Gateway.Management;
using AgentSphere.Gateway.Resilience;
using AgentSphere.Gateway.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace AgentSphere.Gateway.Hosting;

/// <summary>Registers the gateway's services on a <see cref="WebApplicationBuilder"/>.</summary>
public static class GatewayBuilderExtensions
{
    /// <summary>Adds configuration sources, listeners, YARP and the gateway's policies.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="yarpConfigStatus">Status of the watched <c>yarp.json</c>, already added as a configuration source.</param>
    /// <param name="demoFleet">The simulated fleet when running <c>--demo</c>, else null.</param>
    public static WebApplicationBuilder AddAgentSphereGateway(this WebApplicationBuilder builder, ConfigFileStatus yarpConfigStatus, DemoFleet? demoFleet)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(yarpConfigStatus);
        if (demoFleet is not null)
        {
            services.AddSingleton(demoFleet);
        }

        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<AgentSphereOptions>().BindConfiguration(AgentSphereOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentSphereOptions>, AgentSphereOptionsValidator>();

        // Kestrel binds before options validation runs, so the listener settings are checked here, eagerly.
        var gatewayOptions = ReadGatewayOptions(builder.Configuration);
        var listeners = new GatewayListeners();
        services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            KestrelLimits.Apply(kestrel, gatewayOptions.Limits);
            listeners.Configure(kestrel, gatewayOptions);
        });

        services.AddProblemDetails();
        services.AddSingleton<TrustedProxies>();
        services.AddSingleton<MatcherPolicy, ListenerEndpointSelectorPolicy>();
        services.AddSingleton<BackendReadiness>();
        services.AddSingleton<ProxyConfigMonitor>();
        services.AddSingleton<IConfigChangeListener>(sp => sp.GetRequiredService<ProxyConfigMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<ProxyConfigMonitor>());

        services.AddSingleton<GatewayMetrics>();
        services.AddAgentSphereSharedState();
        services.AddAgentSphereAdmission();
        services.AddAgentSphereResponseCaching();
        services.AddAgentSphereObservability();
        services.AddSingleton<GatewayAlertReadingsSource>();
        services.AddSingleton<IAlertReadingsSource>(sp => sp.GetRequiredService<GatewayAlertReadingsSource>());
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        services.AddSingleton<AdminTokenFailures>();
        services.AddSingleton<AdminAuthorization>();
        services.AddAgentSphereLoadBalancing();
        services.AddAgentSphereGatewayResilience();
        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<GatewayProxyConfigFilter>()
            .AddTransforms<RetryResponseTransform>()
            .AddTransforms<HeaderHygieneTransformProvider>();

        return builder;
    }

    internal static GatewayOptions ReadGatewayOptions(IConfiguration configuration)
    {
        var options = new GatewayOptions();
        try
        {
            configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new GatewayConfigurationException(ex.Message, ex);
        }

        var result = new GatewayOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new GatewayConfigurationException(string.Join(Environment.NewLine, result.Failures));
        }

        return options;
    }
}
