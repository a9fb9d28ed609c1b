using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSphere.Gateway.Routing;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Admission;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task YarpJson_InvalidGatewayOption_KeepsRunningOptionsAndReportsFileAndKey()
    {
        await using var gateway = await TestGateway.StartAsync();
        var admission = gateway.Instance.App.Services.GetRequiredService<IOptionsMonitor<AdmissionOptions>>();
        var before = admission.CurrentValue.Global.MaxConcurrency;

        // yarp.json is a configuration source like the others: a gateway option placed in it is read too.
        gateway.Config.Document["Admission"] = new JsonObject { ["Global"] = new JsonObject { ["MaxConcurrency"] = -1 } };
        gateway.Config.Save();

        await Eventually.TrueAsync(() => gateway.Instance.YarpConfig.LastError is not null, "the invalid option to be reported");
        var status = await ConfigurationStatusAsync(gateway);
        Assert.Contains(gateway.Config.FilePath, status, StringComparison.Ordinal);
        Assert.Contains("Admission:Global:MaxConcurrency (env AGENTSPHERE_CONCURRENT_LIMIT) must be between 1 and 100000; got -1.", status, StringComparison.Ordinal);
        Assert.Equal(before, admission.CurrentValue.Global.MaxConcurrency);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/sandboxes"));
    }

    [Fact]
    public async Task YarpJson_UnknownGatewayKey_IsRejectedWithAllowedKeys()
    {
        await using var gateway = await TestGateway.StartAsync();

        gateway.Config.Document["Admission"] = new JsonObject { ["Global"] = new JsonObject { ["MaxConcurency"] = 10 } };
        gateway.Config.Save();

        await Eventually.TrueAsync(() => gateway.Instance.YarpConfig.LastError is not null, "the unknown key to be reported");
        var status = await ConfigurationStatusAsync(gateway);
        Assert.Contains("Admission:Global:MaxConcurency is not a setting; allowed keys in Admission:Global: MaxConcurrency", status, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/sandboxes"));
    }

    [Fact]
    public async Task YarpJson_UnknownLoadBalancingPolicy_KeepsRunningConfigurationAndReportsKeyAndAllowedValues()
    {
        await using var gateway = await TestGateway.StartAsync();

        gateway.Config.Cluster["LoadBalancingPolicy"] = "Psychic";
        gateway.Config.Save();

        var status = await Eventually.ReturnsAsync(
            () => ConfigurationStatusAsync(gateway), s => s.Contains("Psychic", StringComparison.Ordinal), "the invalid policy to be reported on /admin/status");
        Assert.Contains(gateway.Config.FilePath, status, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:Clusters:agentsphere:LoadBalancingPolicy is 'Psychic'; allowed: ", status, StringComparison.Ordinal);
        Assert.Contains("AgentSphereScored", status, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, "/sandboxes"));
    }

    private static async Task<string> ConfigurationStatusAsync(TestGateway gateway)
    {
        using var document = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/status"));
        return document.RootElement.GetProperty("configuration").GetRawText();
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
