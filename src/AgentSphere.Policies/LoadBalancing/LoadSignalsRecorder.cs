using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Feeds each proxied response to its destination's signals: the backend's load header, the measured latency and whether it failed.</summary>
public sealed class LoadSignalsRecorder
{
    private readonly DestinationSignalsStore _store;

    internal LoadSignalsRecorder(DestinationSignalsStore store) => _store = store;

    /// <summary>A timestamp to pass back to <see cref="Record"/>, taken before the request is forwarded.</summary>
    public long Start() => _store.Now;

    /// <summary>Records the outcome of a request forwarded to <paramref name="destination"/>, started at <paramref name="startTimestamp"/>.</summary>
    /// <param name="context">The proxied request.</param>
    /// <param name="destination">Where it was forwarded.</param>
    /// <param name="startTimestamp">What <see cref="Start"/> returned before it was forwarded.</param>
    /// <param name="loadHeader">The backend's load header when the host kept it out of the response; null reads it from the response headers.</param>
    public void Record(HttpContext context, DestinationState destination, long startTimestamp, string? loadHeader = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        var now = _store.Now;
        var signals = _store.Get(destination);
        loadHeader ??= context.Response.Headers.TryGetValue(AgentSphereLoadBalancingPolicies.LoadHeaderName, out var header) ? header.ToString() : null;
        if (loadHeader is not null && LoadReport.TryParseHeader(loadHeader, out var report))
        {
            signals.RecordReport(report, now);
        }

        var error = context.Features.Get<IForwarderErrorFeature>()?.Error;
        var abandoned = context.Features.Get<Resilience.IAttemptTimeoutFeature>()?.AttemptTimedOut == true;
        if (!abandoned && error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient)
        {
            // The client went away: says nothing about the backend.
            return;
        }

        var operation = OperationMetadata.Of(context);
        var failed = abandoned || error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError;
        var latencyMs = (now - startTimestamp) * 1000.0 / _store.TimeProvider.TimestampFrequency;
        signals.RecordOutcome(operation, latencyMs, failed, now, _store.Parameters);
    }
}
