using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSphere.Simulator.Tests;

public sealed class SimulatorSharedStateTests
{
    [Fact]
    public async Task StartAsync_SharedState_ServersActAsReplicasOfOneStore()
    {
        // Arrange: two simulators over one store, like two control-plane replicas over one database.
        var shared = new SimulatorSharedState(seed: 5);
        await using var first = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "a", LatencyScale = 0 }, shared);
        await using var second = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "b", LatencyScale = 0 }, shared);
        using var toFirst = Client(first);
        using var toSecond = Client(second);

        // Act
        using var created = await toFirst.PostAsJsonAsync("/sandboxes", new { templateID = "base", metadata = new { userId = "u7" } });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("sandboxID").GetString();
        using var readThroughSecond = await toSecond.GetAsync($"/sandboxes/{id}");
        var listedThroughSecond = await toSecond.GetStringAsync("/sandboxes?metadata=userId%3Du7");
        using var deletedThroughSecond = await toSecond.DeleteAsync($"/sandboxes/{id}");
        using var readThroughFirst = await toFirst.GetAsync($"/sandboxes/{id}");

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readThroughSecond.StatusCode);
        Assert.Contains(id!, listedThroughSecond, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deletedThroughSecond.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readThroughFirst.StatusCode);
        Assert.Equal(0, second.GetLoad().ActiveSandboxes);
    }

    [Fact]
    public async Task StartAsync_NoSharedState_ServersKeepPrivateStores()
    {
        await using var first = await SimulatorServer.StartAsync(new SimulatorOptions { LatencyScale = 0 });
        await using var second = await SimulatorServer.StartAsync(new SimulatorOptions { LatencyScale = 0 });
        using var toFirst = Client(first);
        using var toSecond = Client(second);

        using var created = await toFirst.PostAsJsonAsync("/sandboxes", new { templateID = "base" });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("sandboxID").GetString();
        using var readThroughSecond = await toSecond.GetAsync($"/sandboxes/{id}");

        Assert.Equal(HttpStatusCode.NotFound, readThroughSecond.StatusCode);
    }

    private static HttpClient Client(SimulatorServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-Key", "shared-state-key");
        return client;
    }
}
