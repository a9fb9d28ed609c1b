using System.Net.Sockets;
using System.Text;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>One raw TCP connection to a loopback listener, for requests no HTTP client would send (garbage, trickles, huge heads).</summary>
internal sealed class RawHttpConnection : IAsyncDisposable
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawHttpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri baseUri)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(baseUri.Host, baseUri.Port);
            return new RawHttpConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Shuts the sending side, as a client that sends and leaves (Kestrel takes it as the end of the connection).</summary>
    public void ShutdownSend() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one response: status line, headers, and a body framed by Content-Length, chunked encoding or the connection's end.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync(TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? DefaultDeadline);
        var head = await ReadUntilAsync("\r\n\r\n"u8.ToArray(), cts.Token) ?? throw new IOException("The connection closed before a response.");
        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        byte[] body;
        if (headers.TryGetValue("Content-Length", out var length))
        {
            body = await ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), cts.Token);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var content = new List<byte>();
            while (true)
            {
                var sizeLine = await ReadUntilAsync("\r\n"u8.ToArray(), cts.Token) ?? throw new IOException("Chunked body cut short.");
                var size = Convert.ToInt32(Encoding.ASCII.GetString(sizeLine).Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    _ = await ReadUntilAsync("\r\n"u8.ToArray(), cts.Token);
                    break;
                }

                content.AddRange(await ReadExactlyAsync(size, cts.Token));
                _ = await ReadExactlyAsync(2, cts.Token);
            }

            body = [.. content];
        }
        else
        {
            body = await ReadToEndAsync(cts.Token);
        }

        return new RawHttpResponse(status, headers, Encoding.UTF8.GetString(body));
    }

    /// <summary>Whether the server closes the connection (end of stream or reset) within <paramref name="deadline"/>; anything it sends first is skipped.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? DefaultDeadline);
        try
        {
            await ReadToEndAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<byte[]?> ReadUntilAsync(byte[] terminator, CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = IndexOf(_pending, terminator);
            if (index >= 0)
            {
                var result = _pending.GetRange(0, index).ToArray();
                _pending.RemoveRange(0, index + terminator.Length);
                return result;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        while (_pending.Count < count)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new IOException("The connection closed inside a body.");
            }
        }

        var result = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return result;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken))
        {
        }

        var result = _pending.ToArray();
        _pending.Clear();
        return result;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var read = await _stream.ReadAsync(buffer, cancellationToken);
        _pending.AddRange(buffer.AsSpan(0, read));
        return read > 0;
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A response read from a <see cref="RawHttpConnection"/>.</summary>
internal sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? ContentType => Headers.TryGetValue("Content-Type", out var type) ? type : null;

    /// <summary>The status, headers and body as text, for searching and for failure messages.</summary>
    public string Text => $"HTTP {Status}\r\n{string.Join("\r\n", Headers.Select(h => h.Key + ": " + h.Value))}\r\n\r\n{Body}";
}
