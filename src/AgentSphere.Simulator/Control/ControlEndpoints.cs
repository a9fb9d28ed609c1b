using System.Text.Json;
using AgentSphere.Simulator.Api;
using AgentSphere.Simulator.Faults;
using AgentSphere.Simulator.Load;
using AgentSphere.Simulator.Logging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Control;

/// <summary>The simulator's own endpoints: <c>/health</c> and <c>/_sim/*</c> (faults, streaming). None needs an API key or takes a service slot.</summary>
internal sealed class ControlEndpoints(
    FaultState faults,
    LoadMonitor load,
    RequestCounters counters,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IOptions<SimulatorOptions> options,
    ILogger<ControlEndpoints> logger)
{
    /// <summary>Path prefix of the control endpoints; faults never apply under it.</summary>
    public const string Prefix = "/_sim";

    private const int MaxChunks = 100_000;
    private const int MaxWaitMs = 3_600_000;

    private readonly string _name = options.Value.Name;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", ApiEndpoints.Handle<ControlEndpoints>(routes, static h => h.HealthAsync));
        routes.MapGet(Prefix + "/faults", ApiEndpoints.Handle<ControlEndpoints>(routes, static h => h.GetFaultsAsync));
        routes.MapPost(Prefix + "/faults", ApiEndpoints.Handle<ControlEndpoints>(routes, static h => h.SetFaultsAsync));
        routes.MapDelete(Prefix + "/faults", ApiEndpoints.Handle<ControlEndpoints>(routes, static h => h.ClearFaults));
        routes.MapGet(Prefix + "/stream", ApiEndpoints.Handle<ControlEndpoints>(routes, static h => h.StreamAsync));
    }

    public Task HealthAsync(HttpContext context)
    {
        counters.Increment(OperationNames.Health);
        var current = load.GetLoad();
        var body = new HealthResponse("ok", _name, current.Cpu, current.Memory, current.QueueLength, current.ActiveSandboxes, current.InFlight, current.Capacity);
        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, body, SimulatorJsonContext.Default.HealthResponse);
    }

    public Task GetFaultsAsync(HttpContext context) =>
        ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, faults.Snapshot(), SimulatorJsonContext.Default.SimulatorFaults);

    public async Task SetFaultsAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        string? error;
        if (buffer.Length == 0)
        {
            error = null;
        }
        else
        {
            try
            {
                using var document = JsonDocument.Parse(buffer.ToArray());
                faults.TryApply(document.RootElement, out error);
            }
            catch (JsonException ex)
            {
                error = $"Invalid JSON in request body: {ex.Message}";
            }
        }

        if (error is not null)
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var current = faults.Snapshot();
        SimulatorLog.FaultsSet(logger, _name, current.ExtraLatencyMs, current.LatencyFactor, current.ErrorRate, current.ErrorStatusCode, current.Down);
        await ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, current, SimulatorJsonContext.Default.SimulatorFaults);
    }

    public Task ClearFaults(HttpContext context)
    {
        faults.Clear();
        SimulatorLog.FaultsCleared(logger, _name);
        return ApiResults.WriteNoContent(context);
    }

    /// <summary>Writes <c>chunk 1\n</c> … <c>chunk N\n</c>, flushing each, waiting <c>intervalMs</c> between chunks and <c>holdMs</c> more after the first.</summary>
    public async Task StreamAsync(HttpContext context)
    {
        var request = context.Request;
        if (!QueryParser.TryParseInt64(request, "chunks", 1, MaxChunks, out var chunks, out var error)
            || !QueryParser.TryParseInt64(request, "intervalMs", 0, MaxWaitMs, out var intervalMs, out error)
            || !QueryParser.TryParseInt64(request, "holdMs", 0, MaxWaitMs, out var holdMs, out error))
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var count = chunks ?? 3;
        var interval = TimeSpan.FromMilliseconds(intervalMs ?? 0);
        var hold = TimeSpan.FromMilliseconds(holdMs ?? 0);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=utf-8";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            for (var i = 1; i <= count; i++)
            {
                await context.Response.WriteAsync($"chunk {i}\n", stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
                if (i == 1 && hold > TimeSpan.Zero)
                {
                    await Task.Delay(hold, time, stop.Token);
                }

                if (i < count && interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, time, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            context.Abort();
        }
    }
}
