using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Management;
using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Management;

public sealed class CapacityEndpointTests
{
    [Fact]
    public async Task Capacity_ForTwentySandboxes_ReportsTheSeedFormulaAndThisMachinesRecommendation()
    {
        await using var gateway = await TestGateway.StartAsync();

        var body = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/capacity?sandboxes=20")).RootElement;

        Assert.Equal(20, body.GetProperty("concurrentSandboxes").GetInt32());
        Assert.Equal(600, body.GetProperty("memoryMegabytes").GetInt64());
        Assert.Equal(2.0, body.GetProperty("cores").GetDouble(), precision: 9);
        Assert.Equal(100, body.GetProperty("networkMegabytesPerSecond").GetInt64());
        var recommendation = body.GetProperty("recommendation");
        Assert.Equal(Environment.ProcessorCount * 8, recommendation.GetProperty("cpuBound").GetInt64());
        Assert.Equal(Environment.ProcessorCount, recommendation.GetProperty("machine").GetProperty("processorCount").GetInt32());
        Assert.True(recommendation.GetProperty("machine").GetProperty("availableMemoryMegabytes").GetInt64() > 0);
        var limit = recommendation.GetProperty("limit").GetInt32();
        Assert.InRange(limit, 0, 50);
        Assert.Equal(
            Math.Min(Math.Min(recommendation.GetProperty("memoryBound").GetInt64(), recommendation.GetProperty("cpuBound").GetInt64()), 50),
            limit);
    }

    [Fact]
    public async Task Capacity_WithoutSandboxes_UsesTheGlobalConcurrencyLimit()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:Global:MaxConcurrency=25"]);

        var body = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/capacity")).RootElement;

        Assert.Equal(25, body.GetProperty("concurrentSandboxes").GetInt32());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("100001")]
    [InlineData("1.5")]
    public async Task Capacity_BadSandboxes_Gets400ProblemNamingTheParameter(string value)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Management.GetAsync($"/admin/capacity?sandboxes={value}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sandboxes must be one whole number", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseMemAvailable_LinuxMeminfo_ReturnsMegabytes()
    {
        Assert.Equal(23733, MachineResourcesProbe.ParseMemAvailable("MemTotal:       24684096 kB\nMemFree:        24062140 kB\nMemAvailable:   24303596 kB\n"));
        Assert.Null(MachineResourcesProbe.ParseMemAvailable("MemTotal: 1 kB\n"));
    }
}
