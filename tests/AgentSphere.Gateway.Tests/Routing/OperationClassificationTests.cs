using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Routing;

public sealed class OperationClassificationTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("GET", "/sandboxes", "list")]
    [InlineData("GET", "/sandboxes?state=running", "list")]
    [InlineData("GET", "/v2/sandboxes?limit=5", "list")]
    [InlineData("GET", "/sandboxes?metadata=userId%3Du1", "find")]
    [InlineData("GET", "/v2/sandboxes?metadata=userId%3Du1&limit=5", "find")]
    [InlineData("POST", "/sandboxes", "deploy")]
    [InlineData("GET", "/sandboxes/abc", "connect")]
    [InlineData("POST", "/sandboxes/abc/connect", "connect")]
    [InlineData("DELETE", "/sandboxes/abc", "cleanup")]
    [InlineData("GET", "/sandboxes/abc/metrics", "monitor")]
    [InlineData("GET", "/sandboxes/metrics?sandbox_ids=a,b", "monitor")]
    [InlineData("GET", "/sandboxes/abc/logs", "monitor")]
    [InlineData("GET", "/v2/sandboxes/abc/logs", "monitor")]
    [InlineData("POST", "/sandboxes/abc/timeout", "keepalive")]
    [InlineData("POST", "/sandboxes/abc/refreshes", "keepalive")]
    [InlineData("POST", "/sandboxes/abc/pause", "lifecycle")]
    [InlineData("POST", "/sandboxes/abc/resume", "lifecycle")]
    [InlineData("GET", "/health", "health")]
    [InlineData("GET", "/templates", "other")]
    [InlineData("PUT", "/sandboxes/abc", "other")]
    [InlineData("GET", "/healthz", "other")]
    public async Task Route_ClassifiesRequest_AsItsOperation(string method, string path, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-API-Key", "classification-key");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(expected, Assert.Single(response.Headers.GetValues("X-AgentSphere-Operation")));
        Assert.Equal("sim-1", Assert.Single(response.Headers.GetValues("X-AgentSphere-Destination")));
    }
}
