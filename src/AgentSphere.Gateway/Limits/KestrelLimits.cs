using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentSphere.Gateway.Limits;

/// <summary>Sets Kestrel's limits from <see cref="LimitsOptions"/>: the timeouts and rates as configured, the sizes somewhat above the configured ones.</summary>
/// <remarks>
/// Kestrel rejects a request line or headers over its own limits before the application sees the request, with a bare status
/// (414, 431, 400) and no body, then closes the connection; it has no hook to give those answers a body. So the gateway enforces the
/// configured sizes itself (<see cref="RequestLimitsMiddleware"/>, with problem+json) and leaves Kestrel's limits above them as a hard
/// backstop against what the middleware can never see, such as a request line or header block far past any sensible size.
/// </remarks>
internal static class KestrelLimits
{
    /// <summary>Applies <paramref name="limits"/> to <paramref name="kestrel"/>.</summary>
    public static void Apply(KestrelServerOptions kestrel, LimitsOptions limits)
    {
        var server = kestrel.Limits;

        // The request line also holds the method and the HTTP version.
        server.MaxRequestLineSize = Backstop(limits.MaxUrlBytes) + 64;
        server.MaxRequestHeaderCount = limits.MaxRequestHeaderCount + Math.Max(limits.MaxRequestHeaderCount / 4, 8);
        server.MaxRequestHeadersTotalSize = Backstop(limits.MaxRequestHeadersTotalBytes);

        // The middleware lowers this per request to the operation's own limit before anything reads the body.
        server.MaxRequestBodySize = Backstop(MaxBodyBytes(limits));

        server.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        server.KeepAliveTimeout = limits.KeepAliveTimeout;
        server.MinRequestBodyDataRate = limits.MinRequestBodyDataRate > 0
            ? new MinDataRate(limits.MinRequestBodyDataRate, limits.MinRequestBodyDataRateGracePeriod)
            : null;
        server.MinResponseDataRate = limits.MinResponseDataRate > 0
            ? new MinDataRate(limits.MinResponseDataRate, limits.MinResponseDataRateGracePeriod)
            : null;
        server.MaxConcurrentConnections = limits.MaxConcurrentConnections;

        server.Http2.MaxStreamsPerConnection = limits.Http2MaxStreamsPerConnection;

        // One HTTP/2 header field may be as large as the whole header block the gateway accepts.
        server.Http2.MaxRequestHeaderFieldSize = Math.Max(server.Http2.MaxRequestHeaderFieldSize, server.MaxRequestHeadersTotalSize);
    }

    private static long MaxBodyBytes(LimitsOptions limits)
    {
        var max = Math.Max(limits.MaxRequestBodyBytes, limits.ManagementBodyBytes);
        foreach (var operation in AgentSphereOperations.All)
        {
            max = Math.Max(max, limits.BodyLimitFor(operation).Bytes);
        }

        return max;
    }

    private static int Backstop(int configured) => configured + Math.Max(configured / 4, 1024);

    private static long Backstop(long configured) => configured + Math.Max(configured / 4, 1024);
}
