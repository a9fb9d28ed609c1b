using System.Net;
using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Primitives;

namespace AgentSphere.Gateway.Forwarding;

/// <summary>First step of the pipeline, on every listener: believes <c>X-Forwarded-For/-Proto/-Host</c> only from a trusted proxy, and drops every forwarding claim and internal header that anyone else sends, before anything reads them.</summary>
/// <remarks>
/// From a peer in <c>Gateway:TrustedProxies</c>, <c>X-Forwarded-For</c> is walked from the right, as ASP.NET Core's ForwardedHeaders
/// middleware does: each entry is the address the proxy to its right received the request from, and the walk stops at the first
/// address that is not itself a trusted proxy (or at the leftmost entry, or at one that does not parse). That address becomes the
/// connection's remote address, and the <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> entries at the same position the scheme and
/// host. The headers are left as they came so <see cref="ForwardedChainTransform"/> can append this hop for the backend. From any other
/// peer, <c>X-Forwarded-*</c>, <c>Forwarded</c>, <c>X-Real-IP</c> and every <c>X-AgentSphere-*</c> header except the priority header are
/// removed. RFC 7239 <c>Forwarded</c> is not honoured from anyone and, as YARP does by default, never forwarded.
/// </remarks>
internal sealed class ProxyHeadersMiddleware(RequestDelegate next, TrustedProxies trustedProxies, IAdmissionPolicyInfo admission)
{
    private readonly string _priorityHeader = admission.PriorityHeader;

    public Task InvokeAsync(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        var trusted = trustedProxies.Contains(peer);
        context.Features.Set(new ForwardingFeature(peer, context.Request.Scheme, context.Request.Host, trusted));
        if (trusted)
        {
            ApplyForwardedHeaders(context);
        }
        else
        {
            RemoveUntrustedClaims(context.Request.Headers);
        }

        return next(context);
    }

    private void RemoveUntrustedClaims(IHeaderDictionary headers)
    {
        List<string>? remove = null;
        foreach (var header in headers)
        {
            if (ForwardingHeaders.IsUntrustedClaim(header.Key, _priorityHeader))
            {
                (remove ??= []).Add(header.Key);
            }
        }

        if (remove is not null)
        {
            foreach (var name in remove)
            {
                headers.Remove(name);
            }
        }
    }

    private void ApplyForwardedHeaders(HttpContext context)
    {
        var headers = context.Request.Headers;
        var forwardedFor = Split(headers[ForwardingHeaders.XForwardedFor]);
        IPEndPoint? client = null;
        var hops = 0;
        for (var i = forwardedFor.Count - 1; i >= 0; i--)
        {
            if (!IPEndPoint.TryParse(forwardedFor[i], out var entry))
            {
                break;
            }

            client = entry;
            hops++;
            if (!trustedProxies.Contains(entry.Address))
            {
                break;
            }
        }

        if (client is not null)
        {
            context.Connection.RemoteIpAddress = TrustedProxies.Normalize(client.Address);
            context.Connection.RemotePort = client.Port;
        }

        if (Aligned(headers[ForwardingHeaders.XForwardedProto], hops) is { } proto
            && (proto.Equals("http", StringComparison.OrdinalIgnoreCase) || proto.Equals("https", StringComparison.OrdinalIgnoreCase)))
        {
            context.Request.Scheme = proto.ToLowerInvariant();
        }

        if (Aligned(headers[ForwardingHeaders.XForwardedHost], hops) is { } host && IsValidHost(host))
        {
            context.Request.Host = new HostString(host);
        }
    }

    // The entry of a proto or host list that belongs with the client found after `hops` entries of X-Forwarded-For, counted from the
    // right; a shorter list gives its leftmost entry (the outermost proxy's view).
    private static string? Aligned(StringValues values, int hops)
    {
        var entries = Split(values);
        if (entries.Count == 0)
        {
            return null;
        }

        var index = entries.Count - Math.Max(1, hops);
        return entries[Math.Max(0, index)];
    }

    private static List<string> Split(StringValues values)
    {
        var entries = new List<string>();
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                entries.Add(part);
            }
        }

        return entries;
    }

    private static bool IsValidHost(string host) =>
        Uri.TryCreate("http://" + host + "/", UriKind.Absolute, out var uri)
        && uri.UserInfo.Length == 0
        && uri.PathAndQuery == "/"
        && uri.Fragment.Length == 0
        && host.IndexOfAny(['/', '?', '#', '@', '\\', ' ']) < 0;
}
