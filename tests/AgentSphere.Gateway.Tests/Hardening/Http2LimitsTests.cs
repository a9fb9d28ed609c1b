using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Gateway.Tests.Sdk;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>HTTP/2 limits on an https listener, spoken frame by frame over a raw TLS connection negotiating h2 by ALPN.</summary>
public sealed class Http2LimitsTests
{
    private const byte HeadersFrame = 0x1;
    private const byte RstStreamFrame = 0x3;
    private const byte SettingsFrame = 0x4;
    private const byte EndHeaders = 0x4;
    private const ushort SettingsMaxConcurrentStreams = 0x3;
    private const uint RefusedStream = 0x7;
    private const int MaxStreams = 7;

    [Fact]
    public async Task Http2_ServerSettings_AnnounceTheConfiguredMaxConcurrentStreams()
    {
        using var certificates = TestCertificates.Create("localhost");
        await using var gateway = await StartHttpsGatewayAsync(certificates);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var connection = await H2Connection.OpenAsync(gateway.Instance.PublicUri, deadline.Token);

        var settings = await connection.ReadServerSettingsAsync(deadline.Token);

        Assert.Equal(SslApplicationProtocol.Http2, connection.Protocol);
        Assert.True(settings.TryGetValue(SettingsMaxConcurrentStreams, out var maxStreams), "SETTINGS_MAX_CONCURRENT_STREAMS is announced");
        Assert.Equal((uint)MaxStreams, maxStreams);
    }

    [Fact]
    public async Task Http2_StreamBeyondTheLimit_IsRefusedAndTheOthersStayOpen()
    {
        using var certificates = TestCertificates.Create("localhost");
        await using var gateway = await StartHttpsGatewayAsync(certificates);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var connection = await H2Connection.OpenAsync(gateway.Instance.PublicUri, deadline.Token);
        await connection.ReadServerSettingsAsync(deadline.Token);

        // Creates whose bodies never come: each stream stays open, waiting, until the connection ends. One caller per stream,
        // so no per-caller admission limit answers (and closes) one first.
        for (var i = 0; i <= MaxStreams; i++)
        {
            await connection.SendCreateHeadersAsync(streamId: 1 + (2 * i), apiKey: $"h2-caller-{i}", deadline.Token);
        }

        var (stream, error) = await connection.ReadFirstResetAsync(deadline.Token);

        Assert.Equal(1 + (2 * MaxStreams), stream);
        Assert.Equal(RefusedStream, error);
    }

    private static Task<TestGateway> StartHttpsGatewayAsync(TestCertificates certificates) =>
        TestGateway.StartAsync(extraArgs:
        [
            "--urls", "https://127.0.0.1:0",
            $"--Gateway:Tls:CertificatePath={certificates.CertificatePath}",
            $"--Gateway:Tls:KeyPath={certificates.KeyPath}",
            $"--Gateway:Limits:Http2MaxStreamsPerConnection={MaxStreams}",
        ]);

    /// <summary>A client HTTP/2 connection: TLS with ALPN h2, the preface and an empty SETTINGS frame sent.</summary>
    private sealed class H2Connection : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;

        private H2Connection(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
        }

        public SslApplicationProtocol Protocol => _tls.NegotiatedApplicationProtocol;

        public static async Task<H2Connection> OpenAsync(Uri uri, CancellationToken cancellationToken)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(uri.Host, uri.Port, cancellationToken);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
            var connection = new H2Connection(tcp, tls);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = [SslApplicationProtocol.Http2] },
                cancellationToken);
            await tls.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), cancellationToken);
            await connection.WriteFrameAsync(SettingsFrame, 0, 0, [], cancellationToken);
            return connection;
        }

        /// <summary>Reads frames up to the server's first SETTINGS frame that is not an acknowledgement, and returns its parameters.</summary>
        public async Task<Dictionary<ushort, uint>> ReadServerSettingsAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var (type, flags, _, payload) = await ReadFrameAsync(cancellationToken);
                if (type != SettingsFrame || (flags & 0x1) != 0)
                {
                    continue;
                }

                await WriteFrameAsync(SettingsFrame, 0x1, 0, [], cancellationToken);
                var settings = new Dictionary<ushort, uint>();
                for (var i = 0; i + 6 <= payload.Length; i += 6)
                {
                    settings[BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i))] = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
                }

                return settings;
            }
        }

        /// <summary>HEADERS of <c>POST /sandboxes</c> with a body to come (no END_STREAM), in HPACK literals without indexing.</summary>
        public Task SendCreateHeadersAsync(int streamId, string apiKey, CancellationToken cancellationToken)
        {
            var block = new List<byte>();
            Literal(block, ":method", "POST");
            Literal(block, ":scheme", "https");
            Literal(block, ":authority", "localhost");
            Literal(block, ":path", "/sandboxes");
            Literal(block, "content-type", "application/json");
            Literal(block, "x-api-key", apiKey);
            return WriteFrameAsync(HeadersFrame, EndHeaders, streamId, [.. block], cancellationToken);
        }

        /// <summary>Reads frames up to the first RST_STREAM, and returns its stream and error code.</summary>
        public async Task<(int Stream, uint Error)> ReadFirstResetAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var (type, _, stream, payload) = await ReadFrameAsync(cancellationToken);
                if (type == RstStreamFrame)
                {
                    return (stream, BinaryPrimitives.ReadUInt32BigEndian(payload));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }

        private static void Literal(List<byte> block, string name, string value)
        {
            block.Add(0x00);
            block.Add((byte)name.Length);
            block.AddRange(Encoding.ASCII.GetBytes(name));
            block.Add((byte)value.Length);
            block.AddRange(Encoding.ASCII.GetBytes(value));
        }

        private async Task WriteFrameAsync(byte type, byte flags, int streamId, byte[] payload, CancellationToken cancellationToken)
        {
            var frame = new byte[9 + payload.Length];
            frame[0] = (byte)(payload.Length >> 16);
            frame[1] = (byte)(payload.Length >> 8);
            frame[2] = (byte)payload.Length;
            frame[3] = type;
            frame[4] = flags;
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
            payload.CopyTo(frame, 9);
            await _tls.WriteAsync(frame, cancellationToken);
            await _tls.FlushAsync(cancellationToken);
        }

        private async Task<(byte Type, byte Flags, int Stream, byte[] Payload)> ReadFrameAsync(CancellationToken cancellationToken)
        {
            var header = new byte[9];
            await _tls.ReadExactlyAsync(header, cancellationToken);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await _tls.ReadExactlyAsync(payload, cancellationToken);
            return (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF, payload);
        }
    }
}
