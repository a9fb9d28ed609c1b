using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AgentSphere.Gateway.Routing;

/// <summary>
/// Refuses the two methods a reverse proxy in front of an API must never pass on: <c>CONNECT</c> (a tunnel request: the gateway is
/// not a forward proxy, and the catch-all route would hand it to a backend) and <c>TRACE</c> (which echoes the request, API key
/// included, back to whoever can make a browser send it). HTTP/2's extended CONNECT (WebSockets over HTTP/2) is a different thing and
/// passes. Answers 405 with problem+json and an <c>Allow</c> header.
/// </summary>
internal sealed class MethodGuardMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    private const string Allowed = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private const string Problem = "method-not-allowed";

    public Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsTrace(method) || (HttpMethods.IsConnect(method) && context.Features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true }))
        {
            metrics.RequestRefused(Problem);
            context.Response.Headers.Allow = Allowed;
            return GatewayProblems.WriteAsync(
                context,
                StatusCodes.Status405MethodNotAllowed,
                "Method not allowed",
                $"The gateway does not forward {method} requests.",
                Problem);
        }

        return next(context);
    }
}
