using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.LoadBalancing;

/// <summary>The scored policy and its health policies in the real gateway, against real simulators.</summary>
public sealed class ScoredBalancingTests : IAsyncLifetime
{
    private SimulatorServer _healthy = null!;
    private SimulatorServer _troubled = null!;

    public async Task InitializeAsync()
    {
        _healthy = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "sim-1", LatencyScale = 0, Seed = 1 });
        _troubled = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "sim-2", LatencyScale = 0, Seed = 2 });
    }

    public async Task DisposeAsync()
    {
        await _healthy.DisposeAsync();
        await _troubled.DisposeAsync();
    }

    [Fact]
    public async Task ScoredPolicy_BackendReportsHighLoad_GetsAlmostNoTraffic()
    {
        // Arrange: sim-2 reports itself nearly saturated on every response. The latency term is off: this test is about
        // reported load, and on a busy test machine one scheduling stall at sim-1 would outweigh it.
        _troubled.SetFaults(new SimulatorFaults { Cpu = 0.95, Memory = 0.95 });
        await using var gateway = await TestGateway.StartAsync([_healthy, _troubled], extraArgs: ["--LoadBalancing:Weights:Latency=0"]);

        // Act
        for (var i = 0; i < 40; i++)
        {
            using var response = await SendAsync(gateway, "/sandboxes");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Assert: at most the first requests, before sim-2's first report, reach it.
        Assert.InRange(_troubled.GetRequestCount("list"), 0, 2);
        Assert.InRange(_healthy.GetRequestCount("list"), 38, 40);
    }

    [Fact]
    public async Task PassiveHealth_BackendAnswering500s_IsEjected()
    {
        // Arrange: round robin, so only passive health (not the score) can stop traffic to the failing backend.
        _troubled.SetFaults(new SimulatorFaults { ErrorRate = 1 });
        await using var gateway = await TestGateway.StartAsync([_healthy, _troubled], configure: config => config.Cluster["LoadBalancingPolicy"] = "RoundRobin");

        // Act: enough requests for the failure window to judge, then more.
        for (var i = 0; i < 30; i++)
        {
            using var response = await SendAsync(gateway, "/sandboxes");
        }

        var failuresBefore = _troubled.GetRequestCount("list");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await SendAsync(gateway, "/sandboxes");
            statuses.Add(response.StatusCode);
        }

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(failuresBefore, _troubled.GetRequestCount("list"));
        var sim2 = await DestinationAsync(gateway, "sim-2");
        Assert.Equal("Unhealthy", sim2.GetProperty("health").GetProperty("passive").GetString());
    }

    [Fact]
    public async Task ActiveHealth_ProbeBody_FeedsLoadReportWithoutAnyTraffic()
    {
        _healthy.SetFaults(new SimulatorFaults { Cpu = 0.33, Memory = 0.44 });
        await using var gateway = await TestGateway.StartAsync([_healthy, _troubled], extraArgs: ["--AgentSphere:HealthCheckIntervalMs=1000"]);

        var sim1 = await Eventually.ReturnsAsync(
            () => DestinationAsync(gateway, "sim-1"),
            d => d.GetProperty("signals").GetProperty("report").ValueKind == JsonValueKind.Object,
            "a probe to report sim-1's load");

        var report = sim1.GetProperty("signals").GetProperty("report");
        Assert.Equal(0.33, report.GetProperty("cpu").GetDouble());
        Assert.Equal(0.44, report.GetProperty("memory").GetDouble());
        Assert.Equal("Healthy", sim1.GetProperty("health").GetProperty("active").GetString());
        Assert.Equal(0, _healthy.GetRequestCount("list"));
    }

    [Fact]
    public async Task AdminBackends_ShowsSignalsScoresAndHealthPerDestination()
    {
        await using var gateway = await TestGateway.StartAsync([_healthy, _troubled]);
        for (var i = 0; i < 6; i++)
        {
            using var response = await SendAsync(gateway, "/sandboxes");
        }

        using var document = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/backends"));
        var cluster = Assert.Single(document.RootElement.GetProperty("clusters").EnumerateArray());

        Assert.Equal("AgentSphereScored", cluster.GetProperty("loadBalancingPolicy").GetString());
        var destinations = cluster.GetProperty("destinations").EnumerateArray().ToList();
        Assert.Equal(["sim-1", "sim-2"], destinations.Select(d => d.GetProperty("destinationId").GetString()));
        var served = destinations.First(d => d.GetProperty("signals").GetProperty("latencyMs").TryGetProperty("list", out _));
        var signals = served.GetProperty("signals");
        Assert.True(signals.GetProperty("reportFresh").GetBoolean());
        Assert.True(signals.GetProperty("scores").GetProperty("list").GetDouble() > 0);
        Assert.Equal(0, signals.GetProperty("inFlight").GetInt32());
        Assert.Equal(0, signals.GetProperty("errorScore").GetDouble());
    }

    [Fact]
    public async Task AdminBackends_OnPublicListener_IsNotServed()
    {
        await using var gateway = await TestGateway.StartAsync([_healthy]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/backends");
        request.Headers.Add("X-API-Key", "k");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"code":404,"message":"Not found"}""", await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", "balancing-key");
        return await gateway.Client.SendAsync(request);
    }

    private static async Task<JsonElement> DestinationAsync(TestGateway gateway, string id)
    {
        using var document = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/backends"));
        return document.RootElement.GetProperty("clusters")[0].GetProperty("destinations").EnumerateArray()
            .Single(d => d.GetProperty("destinationId").GetString() == id).Clone();
    }
}
