using AgentSphere.Policies.LoadBalancing;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace AgentSphere.Gateway.Forwarding;

/// <summary>YARP transforms of every route: the forwarding chain (<see cref="ForwardedChainTransform"/>), the hop-by-hop headers YARP's own list misses, and backend response headers that must not reach clients.</summary>
/// <remarks>
/// YARP drops a fixed list of hop-by-hop headers in both directions (Connection, Keep-Alive, Proxy-Connection, TE, Transfer-Encoding,
/// Upgrade, Proxy-Authenticate, Proxy-Authorization and a few more) but neither <c>Trailer</c> nor the headers a message names in its
/// <c>Connection</c> header (RFC 9110 7.6.1); those are removed here. (Kestrel shows the application a request Connection header that
/// lists <c>close</c>, <c>keep-alive</c> or <c>upgrade</c> as that option alone, so a request header named beside one of those cannot
/// be seen, and is forwarded.) From backend responses it also removes headers that would echo
/// a credential (<c>X-API-Key</c>, <c>Authorization</c>, <c>Proxy-Authorization</c>), the software banners <c>Server</c> and
/// <c>X-Powered-By</c>, and the backend's load report <c>X-AgentSphere-Load</c>, which only the load balancer reads.
/// </remarks>
internal sealed class HeaderHygieneTransformProvider : ITransformProvider
{
    /// <summary>Backend response headers that never reach a client.</summary>
    internal static readonly string[] RemovedResponseHeaders =
    [
        "X-API-Key",
        HeaderNames.Authorization,
        HeaderNames.ProxyAuthorization,
        HeaderNames.Server,
        "X-Powered-By",
        HeaderNames.Trailer,
    ];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        // A route that configures its own X-Forwarded or Forwarded transforms keeps them.
        if (context.UseDefaultForwarders.GetValueOrDefault(true))
        {
            context.UseDefaultForwarders = false;
            context.RequestTransforms.Add(ForwardedChainTransform.Instance);
        }

        context.AddRequestTransform(RemoveRequestHopByHop);
        context.AddResponseTransform(CleanResponse);
    }

    private static ValueTask RemoveRequestHopByHop(RequestTransformContext context)
    {
        // Most requests carry no Connection header (HTTP/2 never does): no enumerator for them.
        var connection = context.HttpContext.Request.Headers.Connection;
        if (!StringValues.IsNullOrEmpty(connection))
        {
            foreach (var name in ConnectionOptions(connection))
            {
                RequestTransform.RemoveHeader(context, name);
            }
        }

        RequestTransform.RemoveHeader(context, HeaderNames.Trailer);
        return ValueTask.CompletedTask;
    }

    private static ValueTask CleanResponse(ResponseTransformContext context)
    {
        if (context.ProxyResponse is not { } proxyResponse)
        {
            return ValueTask.CompletedTask;
        }

        var headers = context.HttpContext.Response.Headers;
        if (headers.TryGetValue(AgentSphereLoadBalancingPolicies.LoadHeaderName, out var load))
        {
            if (context.HttpContext.Features.Get<ForwardingFeature>() is { } forwarding)
            {
                forwarding.BackendLoadHeader = load.ToString();
            }

            headers.Remove(AgentSphereLoadBalancingPolicies.LoadHeaderName);
        }

        foreach (var name in RemovedResponseHeaders)
        {
            headers.Remove(name);
        }

        // A 101 keeps its Connection: Upgrade pair, which YARP restores for WebSockets.
        if ((int)proxyResponse.StatusCode != StatusCodes.Status101SwitchingProtocols
            && proxyResponse.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection))
        {
            foreach (var value in connection)
            {
                foreach (var name in ConnectionOptions(value))
                {
                    headers.Remove(name);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    // The header names a Connection header lists, without "close" (an option, not a header) and anything that is not a valid field name.
    private static IEnumerable<string> ConnectionOptions(StringValues connection)
    {
        foreach (var value in connection)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            foreach (var option in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!option.Equals("close", StringComparison.OrdinalIgnoreCase) && IsToken(option))
                {
                    yield return option;
                }
            }
        }
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
