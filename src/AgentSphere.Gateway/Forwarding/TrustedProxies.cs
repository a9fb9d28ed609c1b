using System.Diagnostics.CodeAnalysis;
using System.Net;
using AgentSphere.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Forwarding;

/// <summary>The reverse proxies in front of the gateway whose forwarding headers are believed (<c>Gateway:TrustedProxies</c>).</summary>
internal sealed class TrustedProxies
{
    private readonly System.Net.IPNetwork[] _networks;

    public TrustedProxies(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in options.Value.TrustedProxies)
        {
            // The options validator has already refused anything that does not parse.
            if (TryParseEntry(entry, out var network))
            {
                networks.Add(network);
            }
        }

        _networks = [.. networks];
    }

    /// <summary>Whether <paramref name="address"/> is a trusted proxy (IPv4-mapped IPv6 addresses count as their IPv4 address).</summary>
    public bool Contains([NotNullWhen(true)] IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }

        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses one entry: an IP address (a single host) or a CIDR network such as <c>10.0.0.0/8</c> or <c>fd00::/8</c>.</summary>
    public static bool TryParseEntry(string? entry, out System.Net.IPNetwork network)
    {
        network = default;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (!text.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                return false;
            }

            address = Normalize(address);
            network = new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return System.Net.IPNetwork.TryParse(text, out network);
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
