using AgentSphere.Gateway.Forwarding;
using AgentSphere.Policies.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Routing;

/// <summary>Proxy-pipeline step that times each forwarded request and feeds the outcome and the backend's load header to the load balancer.</summary>
/// <remarks>Runs inside YARP's passive-health step, so the passive policy judges a response after it has been counted.</remarks>
internal sealed class LoadSignalsMiddleware(RequestDelegate next, LoadSignalsRecorder recorder)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The backend's load header is kept out of the client's response (HeaderHygieneTransformProvider) and handed over here.
        var forwarding = context.Features.Get<ForwardingFeature>();
        forwarding?.BackendLoadHeader = null;
        var start = recorder.Start();
        await next(context);
        if (context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
        {
            recorder.Record(context, destination, start, forwarding?.BackendLoadHeader);
        }
    }
}
