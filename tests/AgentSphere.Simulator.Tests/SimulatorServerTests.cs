using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AgentSphere.Simulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Simulator.Tests;

public sealed partial class SimulatorServerTests
{
    [Fact]
    public async Task StartAsync_PortZero_ReportsTheBoundPort()
    {
        await using var sim = await TestSimulator.StartAsync();

        Assert.Equal("127.0.0.1", sim.Server.BaseAddress.Host);
        Assert.NotEqual(0, sim.Server.BaseAddress.Port);
        Assert.EndsWith("/", sim.Server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("sim-test", sim.Server.Name);
    }

    [Fact]
    public async Task DisposeAsync_Server_FreesThePort()
    {
        var sim = await TestSimulator.StartAsync();
        var port = sim.Server.BaseAddress.Port;

        await sim.DisposeAsync();

        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task Health_NoApiKey_ReportsLoadAsJsonAndHeader()
    {
        // Arrange
        await using var sim = await TestSimulator.StartAsync(o => o.Capacity = 4);
        await sim.CreateSandboxAsync();

        // Act
        using var response = await sim.SendAsync(HttpMethod.Get, "/health", apiKey: null);

        // Assert
        var body = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("sim-test", body.GetProperty("name").GetString());
        Assert.Equal(0.05, body.GetProperty("cpu").GetDouble(), 9);
        Assert.Equal(0.15 + (0.75 / 1000), body.GetProperty("memory").GetDouble(), 9);
        Assert.Equal(0, body.GetProperty("queueLength").GetInt32());
        Assert.Equal(1, body.GetProperty("activeSandboxes").GetInt32());
        Assert.Equal(0, body.GetProperty("inFlight").GetInt32());
        Assert.Equal(4, body.GetProperty("capacity").GetInt32());
        Assert.Equal("cpu=0.05;memory=0.15;queue=0", Assert.Single(response.Headers.GetValues("X-AgentSphere-Load")));
        Assert.Equal(1, sim.Server.GetRequestCount("health"));
    }

    [Fact]
    public async Task AnyResponse_ErrorsIncluded_CarriesTheLoadHeader()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var unauthorized = await sim.SendAsync(HttpMethod.Get, "/sandboxes", apiKey: null);
        using var notFound = await sim.SendAsync(HttpMethod.Get, "/nowhere");

        Assert.Matches(LoadHeader(), Assert.Single(unauthorized.Headers.GetValues("X-AgentSphere-Load")));
        Assert.Matches(LoadHeader(), Assert.Single(notFound.Headers.GetValues("X-AgentSphere-Load")));
    }

    [Fact]
    public async Task Faults_ErrorRateOne_FailsApiRequestsButNotHealthUntilCleared()
    {
        // Arrange
        await using var sim = await TestSimulator.StartAsync();

        // Act
        using var set = await sim.SendAsync(HttpMethod.Post, "/_sim/faults", """{"errorRate":1,"errorStatusCode":503}""", apiKey: null);
        using var failed = await sim.SendAsync(HttpMethod.Get, "/sandboxes");
        using var health = await sim.SendAsync(HttpMethod.Get, "/health", apiKey: null);
        using var cleared = await sim.SendAsync(HttpMethod.Delete, "/_sim/faults", apiKey: null);
        using var ok = await sim.SendAsync(HttpMethod.Get, "/sandboxes");

        // Assert
        var faults = await ResponseAssert.JsonAsync(set, HttpStatusCode.OK);
        Assert.Equal(1, faults.GetProperty("errorRate").GetDouble());
        Assert.Equal(1, faults.GetProperty("latencyFactor").GetDouble());
        await ResponseAssert.ErrorAsync(failed, HttpStatusCode.ServiceUnavailable, "simulated backend fault");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, sim.Server.GetRequestCount("list"));
    }

    [Fact]
    public async Task SetFaults_ErrorRateOne_Returns500()
    {
        await using var sim = await TestSimulator.StartAsync();
        sim.Server.SetFaults(new SimulatorFaults { ErrorRate = 1 });

        using var response = await sim.SendAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base"}""");

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.InternalServerError, "simulated backend fault");
        Assert.Equal(1, sim.Server.GetFaults().ErrorRate);
    }

    [Fact]
    public async Task Faults_Down_AbortsConnectionsExceptSimEndpoints()
    {
        // Arrange
        await using var sim = await TestSimulator.StartAsync();
        sim.Server.SetFaults(new SimulatorFaults { Down = true });

        // Act / Assert
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.SendAsync(HttpMethod.Get, "/health", apiKey: null));
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.SendAsync(HttpMethod.Get, "/sandboxes"));
        using var faults = await sim.SendAsync(HttpMethod.Get, "/_sim/faults", apiKey: null);
        Assert.True((await ResponseAssert.JsonAsync(faults, HttpStatusCode.OK)).GetProperty("down").GetBoolean());

        sim.Server.ClearFaults();
        using var health = await sim.SendAsync(HttpMethod.Get, "/health", apiKey: null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Faults_InvalidField_Is400()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.SendAsync(HttpMethod.Post, "/_sim/faults", """{"errorRate":2}""", apiKey: null);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "errorRate must be between 0 and 1");
    }

    [Fact]
    public async Task Stream_HoldAfterFirstChunk_FirstChunkArrivesWhileResponseIsOpen()
    {
        // Arrange
        await using var sim = await TestSimulator.StartAsync();

        // Act: the server holds the response on the fake clock after chunk 1, which cannot pass without Advance.
        using var response = await sim.Client.GetAsync("_sim/stream?chunks=3&holdMs=60000", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var rest = reader.ReadToEndAsync();

        // Assert
        Assert.Equal("chunk 1", first);
        Assert.False(rest.IsCompleted);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("chunk 2\nchunk 3\n", await Eventually.AdvanceUntilAsync(rest, sim.Clock, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Capacity_MoreRequestsThanSlots_QueueAndReportIt()
    {
        // Arrange: one slot, and every request takes 1 s of (fake) simulated time.
        await using var sim = await TestSimulator.StartAsync(o => o.Capacity = 1);
        sim.Server.SetFaults(new SimulatorFaults { ExtraLatencyMs = 1000 });

        // Act
        var first = sim.SendAsync(HttpMethod.Get, "/sandboxes");
        await Eventually.WaitUntilAsync(() => sim.Server.GetLoad().InFlight == 1, "the first request is in service");
        var second = sim.SendAsync(HttpMethod.Get, "/sandboxes");
        await Eventually.WaitUntilAsync(() => sim.Server.GetLoad().QueueLength == 1, "the second request is queued");
        using var health = await sim.SendAsync(HttpMethod.Get, "/health", apiKey: null);

        // Assert
        var body = await ResponseAssert.JsonAsync(health, HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("queueLength").GetInt32());
        Assert.Equal(2, body.GetProperty("inFlight").GetInt32());
        Assert.Equal(0.95, body.GetProperty("cpu").GetDouble(), 9);
        Assert.Equal("cpu=0.95;memory=0.15;queue=1", Assert.Single(health.Headers.GetValues("X-AgentSphere-Load")));
        var responses = await Eventually.AdvanceUntilAsync(Task.WhenAll(first, second), sim.Clock, TimeSpan.FromSeconds(1));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Array.ForEach(responses, r => r.Dispose());
        Assert.Equal(new SimulatorLoad(0.05, 0.15, 0, 0, 0, 1), sim.Server.GetLoad());
    }

    [Fact]
    public async Task TwinSimulators_SameSeedClockAndRequests_AnswerIdenticalBodies()
    {
        // Arrange
        var clock = new FakeTimeProvider(TestStore.Start);
        await using var a = await TestSimulator.StartAsync(clock: clock);
        await using var b = await TestSimulator.StartAsync(clock: clock);

        // Act
        var left = await ScriptAsync(a);
        var right = await ScriptAsync(b);

        // Assert
        Assert.Equal(left, right);
    }

    private static async Task<List<string>> ScriptAsync(TestSimulator sim)
    {
        var bodies = new List<string>();
        async Task<string> Send(HttpMethod method, string path, string? json = null)
        {
            using var response = await sim.SendAsync(method, path, json);
            var body = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            bodies.Add(body);
            return body;
        }

        var created = await Send(HttpMethod.Post, "/sandboxes", """{"templateID":"base","secure":true,"metadata":{"k":"v"}}""");
        var id = created[(created.IndexOf("\"sandboxID\":\"", StringComparison.Ordinal) + 13)..][..20];
        await Send(HttpMethod.Get, "/health");
        await Send(HttpMethod.Get, "/sandboxes?metadata=k%3Dv");
        await Send(HttpMethod.Post, "/sandboxes", """{"templateID":"base"}""");
        await Send(HttpMethod.Get, "/v2/sandboxes?limit=1");
        await Send(HttpMethod.Get, $"/sandboxes/{id}/metrics");
        await Send(HttpMethod.Get, $"/sandboxes/{id}/logs");
        return bodies;
    }

    [GeneratedRegex(@"^cpu=\d\.\d\d;memory=\d\.\d\d;queue=\d+$")]
    private static partial Regex LoadHeader();
}
