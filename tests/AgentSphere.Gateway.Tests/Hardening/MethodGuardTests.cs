using System.Net;
using System.Text;
using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Hardening;

public sealed class MethodGuardTests
{
    [Fact]
    public async Task Trace_IsRefusedWith405ProblemThatDoesNotEchoTheKey()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Trace, "/sandboxes");
        request.Headers.Add("X-API-Key", "trace-key-secret");

        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:agentsphere:gateway:problem:method-not-allowed", body, StringComparison.Ordinal);
        Assert.DoesNotContain("trace-key-secret", body, StringComparison.Ordinal);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Contains("agentsphere_gateway_request_refusals_total{reason=\"method-not-allowed\"} 1", await gateway.Management.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_IsRefusedWith405InsteadOfBeingTunnelledToABackend()
    {
        await using var gateway = await TestGateway.StartAsync();
        var payload = Encoding.ASCII.GetBytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nX-API-Key: k\r\n\r\n");

        var answer = await MalformedRequests.SendAsync(gateway.Instance.PublicUri, new MalformedRequests.Case("connect", payload), TimeSpan.FromSeconds(15));

        Assert.Equal(405, answer.Status);
        Assert.Contains("application/problem+json", answer.Text, StringComparison.Ordinal);
        Assert.Contains("method-not-allowed", answer.Text, StringComparison.Ordinal);
    }
}
