using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Management;

public sealed class ManagementListenerTests
{
    [Fact]
    public async Task Healthz_OnManagementListener_ReportsAlive()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Management.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ManagementPaths_OnPublicListener_PassThroughToBackend()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("X-API-Key", "k");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"code":404,"message":"Not found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProxiedPaths_OnManagementListener_AreNotForwarded()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes");
        request.Headers.Add("X-API-Key", "k");

        using var response = await gateway.Management.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Readyz_FollowsBackendHealth_FromActiveProbes()
    {
        // Arrange: probes every second (AgentSphere:HealthCheckIntervalMs fills the interval yarp.json leaves out).
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--AgentSphere:HealthCheckIntervalMs=1000"]);
        var simulator = gateway.Simulators[0];

        // Act and assert: ready once a probe succeeds, not ready when the only backend dies, ready again after.
        await Eventually.ReturnsAsync(() => StatusAsync(gateway), s => s == HttpStatusCode.OK, "readyz 200 after the first probe");
        simulator.SetFaults(new SimulatorFaults { Down = true });
        await Eventually.ReturnsAsync(() => StatusAsync(gateway), s => s == HttpStatusCode.ServiceUnavailable, "readyz 503 with the backend down");
        using (var notReady = await gateway.Management.GetAsync("/readyz"))
        {
            Assert.Equal("application/problem+json", notReady.Content.Headers.ContentType?.MediaType);
        }

        simulator.ClearFaults();
        await Eventually.ReturnsAsync(() => StatusAsync(gateway), s => s == HttpStatusCode.OK, "readyz 200 after the backend returns");
    }

    private static async Task<HttpStatusCode> StatusAsync(TestGateway gateway)
    {
        using var response = await gateway.Management.GetAsync("/readyz");
        return response.StatusCode;
    }
}
