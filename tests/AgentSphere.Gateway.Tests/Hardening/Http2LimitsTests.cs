using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Gateway.Tests.Sdk;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>HTTP/2 limits on an https listener, spoken frame by frame over a raw TLS connection negotiating h2 by ALPN.</summary>
public sealed class Http2LimitsTests
{
    private const byte SettingsFrame = 0x4;
    private const ushort SettingsMaxConcurrentStreams = 0x3;

    [Fact]
    public async Task Http2_ServerSettings_AnnounceTheConfiguredMaxConcurrentStreams()
    {
        using var certificates = TestCertificates.Create("localhost");
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--urls", "https://127.0.0.1:0",
            $"--Gateway:Tls:CertificatePath={certificates.CertificatePath}",
            $"--Gateway:Tls:KeyPath={certificates.KeyPath}",
            "--Gateway:Limits:Http2MaxStreamsPerConnection=7",
        ]);
        var uri = gateway.Instance.PublicUri;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = [SslApplicationProtocol.Http2] },
            deadline.Token);
        await tls.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), deadline.Token);
        await tls.WriteAsync(new byte[] { 0, 0, 0, SettingsFrame, 0, 0, 0, 0, 0 }, deadline.Token);
        await tls.FlushAsync(deadline.Token);
        var settings = await ReadServerSettingsAsync(tls, deadline.Token);

        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        Assert.True(settings.TryGetValue(SettingsMaxConcurrentStreams, out var maxStreams), "SETTINGS_MAX_CONCURRENT_STREAMS is announced");
        Assert.Equal(7u, maxStreams);
    }

    /// <summary>Reads frames up to the server's first SETTINGS frame that is not an acknowledgement, and returns its parameters.</summary>
    private static async Task<Dictionary<ushort, uint>> ReadServerSettingsAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cancellationToken);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, cancellationToken);
            var isAck = (header[4] & 0x1) != 0;
            if (header[3] != SettingsFrame || isAck)
            {
                continue;
            }

            var settings = new Dictionary<ushort, uint>();
            for (var i = 0; i + 6 <= payload.Length; i += 6)
            {
                settings[BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i))] = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
            }

            return settings;
        }
    }
}
