using AgentSphere.Simulator.Faults;
using AgentSphere.Simulator.Latency;
using AgentSphere.Simulator.Load;
using AgentSphere.Simulator.Randomness;

namespace AgentSphere.Simulator.Api;

/// <summary>Runs every API request through counting, authentication, the error-rate fault, a service slot and the simulated latency.</summary>
/// <remarks>
/// Order matters for reproducibility: the error draw and the latency draw happen when the request arrives (before it
/// queues), so the random sequence follows the request order. A request holds its slot for its latency and its work;
/// a client that disconnects while queued or while waiting out its latency gets its connection aborted and frees the slot.
/// </remarks>
internal sealed class ApiPipelineMiddleware(
    RequestDelegate next,
    ApiKeyValidator keys,
    FaultState faults,
    LatencyModel latency,
    ServiceSlots slots,
    RequestCounters counters,
    SimulatorRandom random,
    TimeProvider time,
    IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>() is not { } metadata)
        {
            await next(context);
            return;
        }

        var operation = metadata.Resolve(context.Request);
        counters.Increment(operation);
        if (!keys.TryAuthenticate(context.Request, out var caller, out var authError))
        {
            await ApiResults.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, authError);
            return;
        }

        context.Features.Set(caller);
        var current = faults.Current;
        if (current.ErrorRate > 0 && random.NextDouble() < current.ErrorRate)
        {
            await ApiResults.WriteErrorAsync(context, current.ErrorStatusCode, "simulated backend fault");
            return;
        }

        var delay = latency.NextDelay(operation, current);
        var acquired = slots.TryAcquire();
        if (!acquired || delay > TimeSpan.Zero)
        {
            // Waiting ends when the client leaves or the server stops, so shutdown is never held up by simulated time.
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                if (!acquired)
                {
                    await slots.AcquireAsync(waiting.Token);
                    acquired = true;
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, waiting.Token);
                }
            }
            catch (OperationCanceledException) when (waiting.IsCancellationRequested)
            {
                if (acquired)
                {
                    slots.Release();
                }

                context.Abort();
                return;
            }
        }

        try
        {
            await next(context);
        }
        finally
        {
            slots.Release();
        }
    }
}
