using System.Net;
using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Proxy;

public sealed class StreamingTests
{
    [Fact]
    public async Task StreamedResponse_FirstChunkArrivesWhileBackendHoldsResponseOpen()
    {
        // Arrange: the simulator sends one chunk, then holds the response open for a minute before the rest.
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_sim/stream?chunks=3&intervalMs=0&holdMs=60000");
        request.Headers.Add("X-API-Key", "stream-key");

        // Act: a buffering proxy would deliver nothing until the backend finished.
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var firstLine = await reader.ReadLineAsync(deadline.Token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chunk 1", firstLine);
    }
}
