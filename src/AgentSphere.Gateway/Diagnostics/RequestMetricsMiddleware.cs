using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Diagnostics;

/// <summary>Times every proxied request from the moment its caller is known to its last byte, admission wait and cache included, and records it: the Prometheus histogram, the live percentile window and the KPIs.</summary>
/// <remarks>Nothing here takes a lock or allocates per request once a label combination has been seen; the figures say what the client saw, a rejection or a cache hit included.</remarks>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics, ILatencyRecorder latency, IKpiTracker kpis, TimeProvider timeProvider)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>();
        if (metadata is null)
        {
            await next(context);
            return;
        }

        var callerId = context.Features.Get<ICallerIdentityFeature>()?.CallerId;
        var started = timeProvider.GetTimestamp();
        metrics.RequestStarted();
        kpis.RequestStarted(callerId);
        var threw = false;
        try
        {
            await next(context);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            var elapsed = timeProvider.GetElapsedTime(started);
            var status = threw && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var transportFailure = threw || context.Features.Get<IForwarderErrorFeature>() is not null;
            var proxy = context.Features.Get<IReverseProxyFeature>();
            var route = proxy?.Route.Config.RouteId;
            var destination = proxy?.ProxiedDestination?.DestinationId;
            latency.Record(metadata.Operation, elapsed, status, transportFailure);
            metrics.RequestFinished(metadata.Operation, route, status, destination, elapsed, transportFailure || status >= 500);
            kpis.RequestFinished(callerId);
        }
    }
}
