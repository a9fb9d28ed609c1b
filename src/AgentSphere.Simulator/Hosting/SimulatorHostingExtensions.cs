using AgentSphere.Simulator.Api;
using AgentSphere.Simulator.Control;
using AgentSphere.Simulator.Faults;
using AgentSphere.Simulator.Latency;
using AgentSphere.Simulator.Load;
using AgentSphere.Simulator.Logging;
using AgentSphere.Simulator.Randomness;
using AgentSphere.Simulator.Sandboxes;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Hosting;

/// <summary>Registers the simulator's services and builds its request pipeline.</summary>
internal static class SimulatorHostingExtensions
{
    public static IServiceCollection AddSimulator(this IServiceCollection services, TimeProvider timeProvider)
    {
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.AddOptions<SimulatorOptions>().ValidateOnStart();
        services.AddSingleton(timeProvider);
        services.AddSingleton(sp => new SimulatorRandom(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Seed));
        services.AddSingleton(sp => new ServiceSlots(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Capacity));
        services.AddSingleton<SandboxStore>();
        services.AddSingleton<FaultState>();
        services.AddSingleton<LatencyModel>();
        services.AddSingleton<RequestCounters>();
        services.AddSingleton<LoadMonitor>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<SandboxHandlers>();
        services.AddSingleton<ListHandlers>();
        services.AddSingleton<MonitorHandlers>();
        services.AddSingleton<ControlEndpoints>();
        services.AddHostedService<SandboxExpirySweeper>();
        return services;
    }

    public static WebApplication UseSimulator(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledErrorAsync });
        app.UseMiddleware<LoadHeaderMiddleware>();
        app.UseMiddleware<DownFaultMiddleware>();
        app.UseRouting();
        app.UseMiddleware<ApiPipelineMiddleware>();
        ControlEndpoints.Map(app);
        app.MapSandboxApi();
        return app;
    }

    private static Task WriteUnhandledErrorAsync(HttpContext context)
    {
        if (context.Features.Get<IExceptionHandlerFeature>() is { } feature)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SimulatorHostingExtensions).FullName!);
            SimulatorLog.UnhandledException(logger, feature.Error, context.Request.Method, feature.Path);
        }

        return ApiResults.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal simulator error");
    }
}
