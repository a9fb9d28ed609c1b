using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace AgentSphere.Gateway.Listeners;

/// <summary>A parsed listener URL such as <c>https://0.0.0.0:8443</c>: scheme, bind address and port.</summary>
internal sealed record ListenerUrl(bool IsHttps, string Host, IPAddress? Address, int Port, string Original)
{
    /// <summary>True for <c>*</c>, <c>+</c>, <c>0.0.0.0</c> and <c>[::]</c>: every interface.</summary>
    public bool IsAnyAddress => Address is null && Host != "localhost";

    public static bool TryParse(string value, [NotNullWhen(true)] out ListenerUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        error = null;
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? value[..schemeEnd].ToLowerInvariant() : string.Empty;
        if (scheme is not ("http" or "https"))
        {
            error = $"'{value}' must start with http:// or https://.";
            return false;
        }

        var authority = value[(schemeEnd + 3)..].TrimEnd('/');
        if (authority.Contains('/', StringComparison.Ordinal))
        {
            error = $"'{value}' must not carry a path; the gateway serves the whole URL space.";
            return false;
        }

        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || authority.EndsWith(']'))
        {
            error = $"'{value}' must name a port, for example {scheme}://127.0.0.1:8080.";
            return false;
        }

        var host = authority[..colon];
        if (!int.TryParse(authority[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            error = $"'{value}' has an invalid port; use 0 to 65535.";
            return false;
        }

        IPAddress? address = null;
        if (host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            host = "*";
        }
        else if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            if (!IPAddress.TryParse(host.Trim('[', ']'), out address))
            {
                error = $"'{value}' must bind to an IP address, localhost or *; host names are not bindable.";
                return false;
            }
        }
        else
        {
            host = "localhost";
        }

        url = new ListenerUrl(scheme == "https", host, address, port, value);
        return true;
    }
}
