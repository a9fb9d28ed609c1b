using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>Slow and idle clients against a real gateway: Kestrel's timeouts and rates from Gateway:Limits cut them without starving others.</summary>
public sealed class SlowClientTests
{
    private const int Slowloris = 60;
    private const int SlowUploads = 3;

    [Fact]
    public async Task SlowClients_SlowlorisAndTrickledBodies_AreCutWhileANormalClientIsServed()
    {
        // Short timeouts so the test stays short; the upload rate floor sits far above Kestrel's own default (240 B/s), so only
        // the configured value can cut a trickle of some 400 B/s.
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Gateway:Limits:RequestHeadersTimeout=00:00:02",
            "--Gateway:Limits:MinRequestBodyDataRate=5000",
            "--Gateway:Limits:MinRequestBodyDataRateGracePeriod=00:00:02",
        ]);
        using var stop = new CancellationTokenSource();
        var connections = new List<RawHttpConnection>();
        var trickles = new List<Task>();
        try
        {
            for (var i = 0; i < Slowloris; i++)
            {
                var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);
                connections.Add(connection);
                await connection.SendAsync("GET /health HTTP/1.1\r\nHost: gw\r\n");
                trickles.Add(TrickleAsync(connection, "X-Slow: ", 1, stop.Token));
            }

            for (var i = 0; i < SlowUploads; i++)
            {
                var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);
                connections.Add(connection);
                await connection.SendAsync($"POST /sandboxes HTTP/1.1\r\nHost: gw\r\nX-API-Key: slow-uploader-{i}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"templateID\":\"base\",\"metadata\":{{\"pad\":\"");
                trickles.Add(TrickleAsync(connection, string.Empty, 100, stop.Token));
            }

            // Meanwhile a normal client is served, every time.
            using var client = new HttpClient { BaseAddress = gateway.Instance.PublicUri };
            client.DefaultRequestHeaders.Add("X-API-Key", "normal-caller");
            for (var i = 0; i < 20; i++)
            {
                using var response = await client.GetAsync(i % 2 == 0 ? "/health" : "/sandboxes");
                Assert.True(response.IsSuccessStatusCode, $"normal request {i}: {response.StatusCode}");
            }

            // And every slow connection is cut by the server.
            var closed = await Task.WhenAll(connections.Select(c => c.WaitForCloseAsync(TimeSpan.FromSeconds(20))));
            Assert.All(closed, Assert.True);
            using var after = await client.GetAsync("/health");
            Assert.True(after.IsSuccessStatusCode, $"after the slow clients: {after.StatusCode}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(trickles);
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task IdleConnection_AfterKeepAliveTimeout_IsClosed()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Gateway:Limits:KeepAliveTimeout=00:00:02"]);
        await using var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);

        await connection.SendAsync("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.True(response.Status is >= 200 and < 300, $"status {response.Status}");
        Assert.True(await connection.WaitForCloseAsync(TimeSpan.FromSeconds(20)), "the idle keep-alive connection is closed");
    }

    [Fact]
    public async Task Connections_OverMaxConcurrentConnections_AreClosedWithoutAnAnswer()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Gateway:Limits:MaxConcurrentConnections=3"]);
        var open = new List<RawHttpConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);
                open.Add(connection);
                await connection.SendAsync("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n");
                var response = await connection.ReadResponseAsync();
                Assert.True(response.Status is >= 200 and < 300, $"connection {i}: {response.Status}");
            }

            await using var fourth = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);
            await SendIgnoringResetAsync(fourth, "GET /health HTTP/1.1\r\nHost: gw\r\n\r\n");

            Assert.True(await fourth.WaitForCloseAsync(TimeSpan.FromSeconds(20)), "the connection over the limit is closed");
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task SendIgnoringResetAsync(RawHttpConnection connection, string text)
    {
        try
        {
            await connection.SendAsync(text);
        }
        catch (IOException)
        {
            // Already closed by the server: what the test expects.
        }
    }

    /// <summary>Sends <paramref name="prefix"/>, then <paramref name="bytes"/> bytes every 250 ms, until the server cuts the connection or the test ends.</summary>
    private static async Task TrickleAsync(RawHttpConnection connection, string prefix, int bytes, CancellationToken cancellationToken)
    {
        try
        {
            if (prefix.Length > 0)
            {
                await connection.SendAsync(prefix);
            }

            var chunk = new string('x', bytes);
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(250, cancellationToken);
                await connection.SendAsync(chunk);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut by the server, or the test is over.
        }
    }
}
