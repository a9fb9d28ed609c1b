using System.Net;
using System.Security.Cryptography.X509Certificates;
using AgentSphere.Gateway.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentSphere.Gateway.Listeners;

/// <summary>Binds the public and management listeners and, once started, tells where they really listen (ports given as 0 are resolved).</summary>
public sealed class GatewayListeners
{
    private readonly List<(ListenerKind Kind, ListenOptions Options, bool IsHttps)> _bound = [];

    /// <summary>The public base URLs, after binding.</summary>
    public IReadOnlyList<Uri> PublicUris => UrisOf(ListenerKind.Public);

    /// <summary>The management base URLs, after binding.</summary>
    public IReadOnlyList<Uri> ManagementUris => UrisOf(ListenerKind.Management);

    internal void Configure(KestrelServerOptions kestrel, GatewayOptions options)
    {
        X509Certificate2? certificate = null;
        Bind(kestrel, options.PublicUrls, ListenerKind.Public, options.Tls, ref certificate);
        Bind(kestrel, options.ManagementUrls, ListenerKind.Management, options.Tls, ref certificate);
    }

    private void Bind(KestrelServerOptions kestrel, string urls, ListenerKind kind, TlsOptions tls, ref X509Certificate2? certificate)
    {
        var feature = kind == ListenerKind.Management ? ListenerKindFeature.Management : ListenerKindFeature.Public;
        foreach (var part in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ListenerUrl.TryParse(part, out var url, out var error))
            {
                throw new GatewayConfigurationException(error);
            }

            if (url.IsHttps)
            {
                certificate ??= LoadCertificate(tls);
            }

            var serverCertificate = certificate;
            void Configure(ListenOptions listen)
            {
                // HTTP/2 needs TLS (ALPN) from browsers and SDKs; cleartext listeners speak HTTP/1.1 only.
                listen.Protocols = url.IsHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.Use(next => connection =>
                {
                    connection.Features.Set<IListenerKindFeature>(feature);
                    return next(connection);
                });
                if (url.IsHttps)
                {
                    listen.UseHttps(serverCertificate!);
                }

                _bound.Add((kind, listen, url.IsHttps));
            }

            if (url.Host == "localhost")
            {
                kestrel.Listen(IPAddress.Loopback, url.Port, Configure);
            }
            else if (url.IsAnyAddress)
            {
                kestrel.ListenAnyIP(url.Port, Configure);
            }
            else
            {
                kestrel.Listen(url.Address!, url.Port, Configure);
            }
        }
    }

    private static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        var path = tls.CertificatePath ?? throw new GatewayConfigurationException("Gateway:Tls:CertificatePath is required for https:// listeners.");
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, tls.Password);
            }

            var keyPath = string.IsNullOrWhiteSpace(tls.KeyPath) ? null : tls.KeyPath;
            return string.IsNullOrEmpty(tls.Password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, tls.Password, keyPath);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new GatewayConfigurationException($"Gateway:Tls:CertificatePath: cannot load '{path}' (key: '{tls.KeyPath}'): {ex.Message}", ex);
        }
    }

    private List<Uri> UrisOf(ListenerKind kind)
    {
        var uris = new List<Uri>();
        foreach (var (listenerKind, options, isHttps) in _bound)
        {
            if (listenerKind != kind)
            {
                continue;
            }

            var endpoint = options.IPEndPoint!;
            var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
                ? "127.0.0.1"
                : endpoint.Address.ToString();
            if (endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && host != "127.0.0.1")
            {
                host = $"[{host}]";
            }

            uris.Add(new Uri($"{(isHttps ? "https" : "http")}://{host}:{endpoint.Port}/"));
        }

        return uris;
    }
}
