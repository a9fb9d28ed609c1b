using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Tests.Caching;

public sealed class ResponseCachingOptionsTests
{
    [Fact]
    public void TimeToLive_Defaults_CacheTheFourReadsAndNothingElse()
    {
        var options = new ResponseCachingOptions();

        Assert.Equal(TimeSpan.FromSeconds(300), options.TimeToLive(AgentSphereOperation.List));
        Assert.Equal(TimeSpan.FromSeconds(300), options.TimeToLive(AgentSphereOperation.Find));
        Assert.Equal(TimeSpan.FromSeconds(300), options.TimeToLive(AgentSphereOperation.Connect));
        Assert.Equal(TimeSpan.FromSeconds(5), options.TimeToLive(AgentSphereOperation.Monitor));
        foreach (var write in new[] { AgentSphereOperation.Deploy, AgentSphereOperation.Cleanup, AgentSphereOperation.KeepAlive, AgentSphereOperation.Lifecycle, AgentSphereOperation.Health, AgentSphereOperation.Other })
        {
            Assert.Null(options.TimeToLive(write));
        }
    }

    [Fact]
    public void TimeToLive_PerOperationAndDefault_OverrideAndZeroTurnsAllOff()
    {
        var options = new ResponseCachingOptions { DefaultTtlSeconds = 60 };
        options.Operations["LIST"] = new OperationCachingOptions { TtlSeconds = 10 };
        options.Operations["find"] = new OperationCachingOptions { Enabled = false };

        Assert.Equal(TimeSpan.FromSeconds(10), options.TimeToLive(AgentSphereOperation.List));
        Assert.Null(options.TimeToLive(AgentSphereOperation.Find));
        Assert.Equal(TimeSpan.FromSeconds(60), options.TimeToLive(AgentSphereOperation.Connect));

        options.DefaultTtlSeconds = 0;
        Assert.Null(options.TimeToLive(AgentSphereOperation.List));
    }

    [Theory]
    [InlineData(-1, null, null, null, "Caching:DefaultTtlSeconds (env AGENTSPHERE_CACHE_TTL) is -1; allowed: 0 (cache off) to 86400 seconds.")]
    [InlineData(300, "lsit", true, null, "Caching:Operations:lsit: unknown operation 'lsit'; allowed: list, find, connect, monitor.")]
    [InlineData(300, "deploy", true, null, "Caching:Operations:deploy:Enabled is true, but deploy is not a read that may be cached; allowed: list, find, connect, monitor.")]
    [InlineData(300, "list", null, 0, "Caching:Operations:list:TtlSeconds is 0; allowed: 1 to 86400 seconds.")]
    public void Validate_BadValue_FailsNamingTheKey(int defaultTtl, string? operation, bool? enabled, int? ttl, string expected)
    {
        var options = new ResponseCachingOptions { DefaultTtlSeconds = defaultTtl };
        if (operation is not null)
        {
            options.Operations[operation] = new OperationCachingOptions { Enabled = enabled, TtlSeconds = ttl };
        }

        var result = new ResponseCachingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new ResponseCachingOptionsValidator().Validate(null, new ResponseCachingOptions()).Succeeded);
    }
}
