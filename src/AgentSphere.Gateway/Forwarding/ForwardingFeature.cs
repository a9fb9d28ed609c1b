using System.Net;

namespace AgentSphere.Gateway.Forwarding;

/// <summary>What the gateway keeps of one request's forwarding: the connection as it arrived (before a trusted proxy's headers were applied) and the backend's load report held back from the client.</summary>
internal sealed class ForwardingFeature(IPAddress? peer, string scheme, HostString host, bool viaTrustedProxy)
{
    /// <summary>The address of the connection's peer, which is a trusted proxy when <see cref="ViaTrustedProxy"/>.</summary>
    public IPAddress? Peer { get; } = peer;

    /// <summary>The scheme the request arrived with on the connection.</summary>
    public string Scheme { get; } = scheme;

    /// <summary>The Host the request arrived with on the connection.</summary>
    public HostString Host { get; } = host;

    /// <summary>Whether the peer is in <c>Gateway:TrustedProxies</c>, so its forwarding and priority headers were honoured.</summary>
    public bool ViaTrustedProxy { get; } = viaTrustedProxy;

    /// <summary>The backend's <c>X-AgentSphere-Load</c> of the last forwarded attempt, kept for the load balancer and removed from the response.</summary>
    public string? BackendLoadHeader { get; set; }
}
