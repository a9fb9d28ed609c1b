using System.Collections;
using AgentSphere.Gateway.Configuration;

namespace AgentSphere.Gateway.Tests.Configuration;

public sealed class SeedEnvironmentVariablesTests
{
    [Fact]
    public void Read_SeedVariables_MapToAgentSphereKeys()
    {
        var environment = new Hashtable
        {
            ["AGENTSPHERE_TIMEOUT"] = "20000",
            ["AGENTSPHERE_CONCURRENT_LIMIT"] = "30",
            ["AGENTSPHERE_CACHE_TTL"] = "60",
            ["AGENTSPHERE_RETRY_ATTEMPTS"] = "1",
            ["AGENTSPHERE_HEALTH_CHECK_INTERVAL"] = "5000",
            ["AGENTSPHERE_BATCH_SIZE"] = " 4 ",
            ["UNRELATED"] = "x",
        };

        var values = SeedEnvironmentVariables.Read(environment);

        Assert.Equal("20000", values["AgentSphere:TimeoutMs"]);
        Assert.Equal("30", values["Admission:Global:MaxConcurrency"]);
        Assert.Equal("60", values["Caching:DefaultTtlSeconds"]);
        Assert.Equal("1", values["AgentSphere:RetryAttempts"]);
        Assert.Equal("5000", values["AgentSphere:HealthCheckIntervalMs"]);
        Assert.Equal("4", values["AgentSphere:BatchSize"]);
        Assert.Equal(6, values.Count);
    }

    [Fact]
    public void Read_NonInteger_ThrowsNamingVariableAndKey()
    {
        var environment = new Hashtable { ["AGENTSPHERE_TIMEOUT"] = "15s" };

        var error = Assert.Throws<GatewayConfigurationException>(() => SeedEnvironmentVariables.Read(environment));

        Assert.Contains("AGENTSPHERE_TIMEOUT", error.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSphere:TimeoutMs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Unset_ReturnsNothing()
    {
        Assert.Empty(SeedEnvironmentVariables.Read(new Hashtable()));
    }
}
