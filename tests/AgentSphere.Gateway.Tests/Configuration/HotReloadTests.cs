using System.Net;
using System.Text.Json.Nodes;
using AgentSphere.Gateway.Routing;
using AgentSphere.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSphere.Gateway.Tests.Configuration;

public sealed class HotReloadTests
{
    [Fact]
    public async Task YarpJson_ValidChange_IsPickedUpWithoutRestart()
    {
        // Arrange: /probe is unknown, so the catch-all forwards it and the simulator answers 404.
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway, "/probe"));

        // Act: add a route that rewrites /probe to the backend's /health.
        AddProbeRoute(gateway.Config, "health");
        gateway.Config.Save();

        // Assert
        await Eventually.ReturnsAsync(() => StatusAsync(gateway, "/probe"), s => s == HttpStatusCode.OK, "the new route to answer");
    }

    [Fact]
    public async Task YarpJson_MalformedChange_KeepsLastGoodConfigurationAndReportsWhy()
    {
        await using var gateway = await TestGateway.StartAsync();
        AddProbeRoute(gateway.Config, "health");
        gateway.Config.Save();
        await Eventually.ReturnsAsync(() => StatusAsync(gateway, "/probe"), s => s == HttpStatusCode.OK, "the new route to answer");
        var monitor = gateway.Instance.App.Services.GetRequiredService<ProxyConfigMonitor>();

        gateway.Config.WriteRaw("{ \"ReverseProxy\": { \"Routes\": ");

        await Eventually.TrueAsync(() => gateway.Instance.YarpConfig.LastError is not null, "the malformed file to be reported");
        Assert.Contains(gateway.Config.FilePath, monitor.LastRejection, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/probe"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/sandboxes"));
    }

    [Fact]
    public async Task YarpJson_InvalidRoute_KeepsLastGoodConfigurationAndReportsWhy()
    {
        await using var gateway = await TestGateway.StartAsync();
        var monitor = gateway.Instance.App.Services.GetRequiredService<ProxyConfigMonitor>();

        // A well-formed file whose route names an operation that does not exist.
        AddProbeRoute(gateway.Config, "teleport");
        gateway.Config.Save();

        await Eventually.TrueAsync(() => monitor.LastRejection is not null, "the invalid route to be rejected");
        Assert.Contains("teleport", monitor.LastRejection, StringComparison.Ordinal);
        Assert.Contains("Route 'probe'", monitor.LastRejection, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway, "/probe"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/sandboxes"));
    }

    [Fact]
    public async Task YarpJson_FileDeleted_KeepsRunningConfiguration()
    {
        await using var gateway = await TestGateway.StartAsync();

        File.Delete(gateway.Config.FilePath);

        await Eventually.TrueAsync(() => gateway.Instance.YarpConfig.LastError is not null, "the missing file to be reported");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/sandboxes"));
    }

    private static void AddProbeRoute(YarpConfigFile config, string operation) =>
        config.Routes["probe"] = new JsonObject
        {
            ["ClusterId"] = "agentsphere",
            ["Match"] = new JsonObject { ["Path"] = "/probe" },
            ["Transforms"] = new JsonArray(new JsonObject { ["PathSet"] = "/health" }),
            ["Metadata"] = new JsonObject { ["AgentSphere.Operation"] = operation },
        };

    private static async Task<HttpStatusCode> StatusAsync(TestGateway gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", "reload-key");
        using var response = await gateway.Client.SendAsync(request);
        return response.StatusCode;
    }
}
