using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSphere.Gateway.Hosting;

namespace AgentSphere.Gateway.Tests.Demo;

public sealed class DemoModeTests
{
    [Fact]
    public async Task Demo_CreateThenFindThroughAnyBackend_ListsTheNewSandbox()
    {
        // Arrange: the README's first command, on free ports and with the latency profile scaled away.
        await using var gateway = await GatewayApplication.StartAsync(
            ["--demo", "--urls", "http://127.0.0.1:0", "--management-urls", "http://127.0.0.1:0", "--latency-scale", "0"]);
        using var client = new HttpClient { BaseAddress = gateway.PublicUri };
        using var management = new HttpClient { BaseAddress = gateway.ManagementUri };
        client.DefaultRequestHeaders.Add("X-API-Key", "demo-key");

        // Act
        using var created = await client.PostAsJsonAsync("/sandboxes", new { templateID = "base", metadata = new { userId = "u1" } });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("sandboxID").GetString();
        var listings = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            // Several lists, so the load balancer spreads them over the fleet: every backend must know the sandbox.
            listings.Add(await client.GetStringAsync("/sandboxes?metadata=userId%3Du1"));
        }

        using var anonymous = new HttpClient { BaseAddress = gateway.PublicUri };
        using var unauthorized = await anonymous.GetAsync("/sandboxes");

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.All(listings, listing => Assert.Equal(id, Assert.Single(JsonDocument.Parse(listing).RootElement.EnumerateArray()).GetProperty("sandboxID").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(3, gateway.Fleet!.Servers.Count);
        var ready = await Eventually.ReturnsAsync(() => management.GetStringAsync("/readyz"), body => body.Contains("\"healthyBackends\":3", StringComparison.Ordinal), "all three demo backends healthy");
        Assert.Contains("\"backends\":3", ready, StringComparison.Ordinal);
        Assert.Contains("curl", gateway.DescribeStartup(), StringComparison.Ordinal);
        Assert.Contains(gateway.PublicUri.ToString().TrimEnd('/'), gateway.DescribeStartup(), StringComparison.Ordinal);
    }
}
