using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Resilience;

/// <summary>Timeouts, retries on another backend and what is never retried, through a real gateway and real simulators.</summary>
public sealed class RetryAndTimeoutTests
{
    [Fact]
    public async Task Read_SlowerThanTheTimeout_Gets504ProblemInTime()
    {
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "slow", LatencyScale = 0 });
        await using var gateway = await TestGateway.StartAsync([simulator], extraArgs: ["--AgentSphere:TimeoutMs=1000", "--AgentSphere:RetryAttempts=0"]);
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 5000 });

        var started = TimeProvider.System.GetTimestamp();
        using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "timeout-key");
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(504, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.True(elapsed < TimeSpan.FromSeconds(4.5), $"answered after {elapsed.TotalSeconds:F1} s");
        await simulator.DisposeAsync();
    }

    [Fact]
    public async Task Create_HasItsOwnTimeout()
    {
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "slow-create", LatencyScale = 0 });
        await using var gateway = await TestGateway.StartAsync([simulator], extraArgs:
        [
            "--AgentSphere:TimeoutMs=1000", "--Resilience:OperationTimeoutsMs:deploy=8000",
        ]);
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 1500 });

        using var create = await AdmissionTests.CreateAsync(gateway.Client, "create-timeout-key");
        using var list = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "create-timeout-key");

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);      // 1.5 s: well inside the create's 8 s
        Assert.Equal(HttpStatusCode.GatewayTimeout, list.StatusCode); // 1.5 s: past the default 1 s
        await simulator.DisposeAsync();
    }

    [Fact]
    public async Task Read_OnABackendAnswering500_IsRetriedOnAnotherAndSucceeds()
    {
        var shared = new SimulatorSharedState(seed: 3);
        var failing = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "failing", LatencyScale = 0 }, shared);
        var healthy = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "healthy", LatencyScale = 0 }, shared);
        await using var gateway = await TestGateway.StartAsync(
            [failing, healthy],
            extraArgs: ["--LoadBalancing:ConsecutiveFailures=1000", "--LoadBalancing:FailureRateThreshold=1"],
            configure: c => c.Cluster["LoadBalancingPolicy"] = "RoundRobin");
        failing.SetFaults(new SimulatorFaults { ErrorRate = 1 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "retry-key");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(failing.GetRequestCount("list") > 0, "the failing backend was never tried: the test proves nothing");
        Assert.Equal(20, healthy.GetRequestCount("list"));
        await failing.DisposeAsync();
        await healthy.DisposeAsync();
    }

    [Fact]
    public async Task Create_OnABackendAnswering500_IsNeverRetried()
    {
        var shared = new SimulatorSharedState(seed: 4);
        var failing = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "failing", LatencyScale = 0 }, shared);
        var healthy = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "healthy", LatencyScale = 0 }, shared);
        await using var gateway = await TestGateway.StartAsync([failing, healthy], extraArgs: ["--LoadBalancing:ConsecutiveFailures=1000", "--LoadBalancing:FailureRateThreshold=1"]);
        failing.SetFaults(new SimulatorFaults { ErrorRate = 1 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await AdmissionTests.CreateAsync(gateway.Client, $"create-key-{i}");
            statuses.Add(response.StatusCode);
        }

        // Every create reached exactly one backend: no second attempt after the 500.
        Assert.Equal(12, failing.GetRequestCount("deploy") + healthy.GetRequestCount("deploy"));
        Assert.Equal(failing.GetRequestCount("deploy"), statuses.Count(s => s == HttpStatusCode.InternalServerError));
        Assert.True(failing.GetRequestCount("deploy") > 0, "the failing backend was never picked: the test proves nothing");
        await failing.DisposeAsync();
        await healthy.DisposeAsync();
    }

    [Fact]
    public async Task Create_ToABackendThatRefusesConnections_IsSentToAnotherOnce()
    {
        var shared = new SimulatorSharedState(seed: 5);
        var dead = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "dead", LatencyScale = 0 }, shared);
        var alive = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "alive", LatencyScale = 0 }, shared);
        await using var gateway = await TestGateway.StartAsync([dead, alive], healthInterval: TimeSpan.FromMinutes(5));
        await dead.DisposeAsync(); // connection refused from now on; health checks will not notice for minutes

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await AdmissionTests.CreateAsync(gateway.Client, $"refused-key-{i}");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(10, alive.GetRequestCount("deploy"));
        await alive.DisposeAsync();
    }

    [Fact]
    public async Task RetryBudget_Spent_NoMoreRetries()
    {
        var shared = new SimulatorSharedState(seed: 6);
        var failing = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "failing", LatencyScale = 0 }, shared);
        var healthy = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "healthy", LatencyScale = 0 }, shared);
        await using var gateway = await TestGateway.StartAsync(
            [failing, healthy],
            extraArgs:
            [
                "--Resilience:RetryBudgetPercent=0", "--Resilience:RetryBudgetReserve=2",
                "--LoadBalancing:ConsecutiveFailures=1000", "--LoadBalancing:FailureRateThreshold=1",
            ],
            configure: c => c.Cluster["LoadBalancingPolicy"] = "RoundRobin");
        failing.SetFaults(new SimulatorFaults { ErrorRate = 1 });

        var failures = 0;
        for (var i = 0; i < 30; i++)
        {
            using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "budget-key");
            failures += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        // Two retries in reserve, none earned: every later pick of the failing backend reaches the client.
        Assert.Equal(failing.GetRequestCount("list") - 2, failures);
        Assert.True(failures > 0, "the failing backend was picked at most twice: the test proves nothing");
        await failing.DisposeAsync();
        await healthy.DisposeAsync();
    }

    [Fact]
    public async Task AllBackendsDown_Immediate503WithRetryAfterThenRecoveryAfterAHealthInterval()
    {
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "only", LatencyScale = 0 });
        await using var gateway = await TestGateway.StartAsync([simulator], healthInterval: TimeSpan.FromSeconds(1));
        simulator.SetFaults(new SimulatorFaults { Down = true });

        // Probes fail and the destination leaves the pool; from then on the gateway answers at once.
        var refused = await Eventually.ReturnsAsync(
            () => AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "down-key"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable,
            "503 once no backend is healthy");
        Assert.Equal("1", AdmissionTests.Header(refused, "Retry-After"));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        simulator.ClearFaults();
        var recovered = await Eventually.ReturnsAsync(
            () => AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "down-key"),
            r => r.StatusCode == HttpStatusCode.OK,
            "200 after the backend returns",
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        await simulator.DisposeAsync();
    }
}
