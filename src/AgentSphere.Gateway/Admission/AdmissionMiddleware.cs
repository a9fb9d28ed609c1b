using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Gateway.Forwarding;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Operations;
using Yarp.ReverseProxy.Forwarder;

namespace AgentSphere.Gateway.Admission;

/// <summary>Runs every proxied request of an identified caller (<see cref="CallerIdentityMiddleware"/>) through admission: 429 or 503 when a limit refuses it, otherwise the slots it holds are released when the response is done.</summary>
internal sealed partial class AdmissionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IAdmissionController _controller;
    private readonly IAdmissionPolicyInfo _policy;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AdmissionMiddleware> _logger;

    public AdmissionMiddleware(
        RequestDelegate next,
        IAdmissionController controller,
        IAdmissionPolicyInfo policy,
        GatewayMetrics metrics,
        TimeProvider timeProvider,
        ILogger<AdmissionMiddleware> logger)
    {
        _next = next;
        _controller = controller;
        _policy = policy;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>();
        if (metadata is null)
        {
            await _next(context);
            return;
        }

        var operation = metadata.Operation;
        var headers = context.Request.Headers;
        var requestedPriority = headers[_policy.PriorityHeader].ToString();

        // The priority header is an instruction to the gateway, never forwarded to AgentSphere.
        headers.Remove(_policy.PriorityHeader);

        var callerId = context.Features.Get<ICallerIdentityFeature>()?.CallerId;
        if (!_policy.Options.Enabled)
        {
            await _next(context);
            return;
        }

        // A trusted proxy (Gateway:TrustedProxies) speaks for its clients: its priority header counts as a trusted caller's would.
        var priority = requestedPriority.Length > 0
            && context.Features.Get<ForwardingFeature>() is { ViaTrustedProxy: true }
            && RequestPriorities.TryParse(requestedPriority, out var fromProxy)
                ? fromProxy
                : _policy.ResolvePriority(operation, callerId, requestedPriority.Length > 0 ? requestedPriority : null);
        AdmissionTicket ticket;
        try
        {
            ticket = await _controller.AdmitAsync(new AdmissionRequest(operation, callerId, priority), context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left while waiting: its place is already free and there is nobody to answer.
            Log.LeftWhileWaiting(_logger, operation.GetName(), priority.GetName());
            return;
        }

        if (ticket.Rejection is { } rejection)
        {
            _metrics.Rejected(operation, rejection.Policy);
            Log.Rejected(_logger, operation.GetName(), priority.GetName(), rejection.Policy.GetName(), callerId ?? "anonymous");
            RateLimitHeaders.WriteRejected(context.Response.Headers, rejection);
            await GatewayProblems.WriteAsync(
                context,
                rejection.StatusCode,
                rejection.StatusCode == StatusCodes.Status503ServiceUnavailable ? "Gateway overloaded" : "Rate limit exceeded",
                rejection.Detail,
                rejection.Policy.GetName(),
                rejection);
            return;
        }

        _metrics.Admitted(operation);
        RateLimitHeaders.WriteAdmitted(context.Response.Headers, ticket, _timeProvider);
        var counts = true;
        try
        {
            await _next(context);
            counts = DidWork(context);
        }
        catch
        {
            counts = false;
            throw;
        }
        finally
        {
            await ticket.CompleteAsync(counts);
        }
    }

    /// <summary>Whether a request may have done its work at a backend, so it keeps its quota count: anything but a client error, or a server error the gateway knows never reached a backend or the backend refused.</summary>
    private static bool DidWork(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status < 400)
        {
            return true;
        }

        if (status < 500)
        {
            return false;
        }

        // A timeout or a failure after the request was sent may still have created the sandbox: keep the count.
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error;
        return error switch
        {
            null => status == StatusCodes.Status504GatewayTimeout,
            ForwarderError.NoAvailableDestinations => false,
            _ => true,
        };
    }
}
