using AgentSphere.Simulator.Hosting;

namespace AgentSphere.Simulator;

/// <summary>Builds the simulator web application, for the command line and for in-process hosting.</summary>
public static class SimulatorApplication
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--latency-scale"] = "Simulator:LatencyScale",
        ["--capacity"] = "Simulator:Capacity",
        ["--name"] = "Simulator:Name",
        ["--seed"] = "Simulator:Seed",
    };

    /// <summary>Builds the application from command-line arguments (<c>--urls</c>, <c>--latency-scale</c>, <c>--capacity</c>, <c>--name</c>, <c>--seed</c>) and the <c>Simulator</c> configuration section.</summary>
    public static WebApplication Build(string[] args, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.AddSimulator(timeProvider ?? TimeProvider.System);
        builder.Services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName));
        var app = builder.Build();
        app.UseSimulator();
        return app;
    }

    /// <summary>Builds an in-process simulator that reads no configuration files, environment or arguments.</summary>
    internal static WebApplication BuildInProcess(SimulatorOptions options, TimeProvider timeProvider, string url, SimulatorSharedState? sharedState = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulatorApplication).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Services.AddRoutingCore();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSimulator(timeProvider);
        builder.Services.AddOptions<SimulatorOptions>().Configure(options.CopyTo);
        if (sharedState is not null)
        {
            // Replaces the private store registered by AddSimulator: the last registration wins.
            builder.Services.AddSingleton(sharedState.Store);
        }

        var app = builder.Build();
        app.UseSimulator();
        return app;
    }
}
