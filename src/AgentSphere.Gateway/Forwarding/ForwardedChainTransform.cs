using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;

namespace AgentSphere.Gateway.Forwarding;

/// <summary>Replaces YARP's default X-Forwarded transforms: this hop is appended to the chain a trusted proxy sent, and set afresh for anyone else.</summary>
/// <remarks>
/// YARP's defaults set (replace) <c>X-Forwarded-For/-Proto/-Host/-Prefix</c> from the request as the gateway sees it and remove
/// <c>Forwarded</c>. After <see cref="ProxyHeadersMiddleware"/> has applied a trusted proxy's headers, that view is the original
/// client's, so the defaults would drop the proxy from the chain. This transform appends what the connection itself saw (the peer's
/// address, the scheme and Host it used) to the chain instead; for an untrusted peer the chain was already removed, so the result is
/// what YARP's defaults send.
/// </remarks>
internal sealed class ForwardedChainTransform : RequestTransform
{
    public static readonly ForwardedChainTransform Instance = new();

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var http = context.HttpContext;
        var forwarding = http.Features.Get<ForwardingFeature>();
        var viaTrustedProxy = forwarding?.ViaTrustedProxy == true;
        var peer = forwarding is null ? http.Connection.RemoteIpAddress : forwarding.Peer;
        var scheme = forwarding?.Scheme ?? http.Request.Scheme;
        var host = forwarding?.Host ?? http.Request.Host;

        Chain(context, ForwardingHeaders.XForwardedFor, peer is null ? null : TrustedProxies.Normalize(peer).ToString(), viaTrustedProxy);
        Chain(context, ForwardingHeaders.XForwardedProto, scheme, viaTrustedProxy);
        Chain(context, ForwardingHeaders.XForwardedHost, host.HasValue ? host.ToUriComponent() : null, viaTrustedProxy);
        var pathBase = http.Request.PathBase;
        Chain(context, ForwardingHeaders.XForwardedPathPrefix, pathBase.HasValue ? pathBase.ToUriComponent() : null, viaTrustedProxy);
        RemoveHeader(context, ForwardingHeaders.Forwarded);
        return ValueTask.CompletedTask;
    }

    private static void Chain(RequestTransformContext context, string name, string? value, bool append)
    {
        var existing = TakeHeader(context, name);
        var chain = append ? existing : StringValues.Empty;
        if (value is not null)
        {
            chain = StringValues.Concat(chain, value);
        }

        if (chain.Count > 0)
        {
            AddHeader(context, name, chain);
        }
    }
}
