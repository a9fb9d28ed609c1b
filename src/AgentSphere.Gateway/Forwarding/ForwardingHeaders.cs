namespace AgentSphere.Gateway.Forwarding;

/// <summary>Names of the forwarding and internal headers the gateway polices.</summary>
internal static class ForwardingHeaders
{
    /// <summary>What every X-Forwarded-* header name starts with.</summary>
    public const string XForwardedNamePrefix = "X-Forwarded-";
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string XForwardedPathPrefix = "X-Forwarded-Prefix";
    public const string Forwarded = "Forwarded";
    public const string XRealIp = "X-Real-IP";

    /// <summary>The prefix of AgentSphere's internal headers (the priority header, the backend's load report, diagnostics).</summary>
    public const string InternalPrefix = "X-AgentSphere-";

    /// <summary>Whether a request header from an untrusted peer is a forwarding claim or an internal header, which the gateway drops on arrival.</summary>
    /// <remarks>The priority header is left to admission, which honours it only from trusted callers or trusted proxies and never forwards it.</remarks>
    public static bool IsUntrustedClaim(string name, string priorityHeader) =>
        name.StartsWith(XForwardedNamePrefix, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, Forwarded, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, XRealIp, StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase) && !string.Equals(name, priorityHeader, StringComparison.OrdinalIgnoreCase));
}
