using AgentSphere.Policies.Redis;

namespace AgentSphere.Policies.Tests.Redis;

public sealed class RedisOptionsValidatorTests
{
    private readonly RedisOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = _validator.Validate(null, new RedisOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ConfiguredWithPassword_Succeeds()
    {
        var result = _validator.Validate(null, new RedisOptions { Configuration = "redis.internal:6380,password=p,ssl=true" });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("FallbackShare", "Redis:FallbackShare", "greater than 0 and at most 1")]
    [InlineData("FallbackShareAboveOne", "Redis:FallbackShare", "greater than 0 and at most 1")]
    [InlineData("FallbackShareNaN", "Redis:FallbackShare", "greater than 0 and at most 1")]
    [InlineData("OperationTimeout", "Redis:OperationTimeout", "greater than 00:00:00")]
    [InlineData("RetryInterval", "Redis:RetryInterval", "greater than 00:00:00")]
    [InlineData("LeaseTtl", "Redis:LeaseTtl", "at least 00:00:01")]
    [InlineData("KeyPrefixEmpty", "Redis:KeyPrefix", "non-empty and contain no white space")]
    [InlineData("KeyPrefixSpace", "Redis:KeyPrefix", "non-empty and contain no white space")]
    [InlineData("Configuration", "Redis:Configuration", "not a valid StackExchange.Redis configuration string")]
    public void Validate_BadValue_FailsNamingKeyAndRange(string scenario, string key, string range)
    {
        var options = new RedisOptions();
        switch (scenario)
        {
            case "FallbackShare": options.FallbackShare = 0; break;
            case "FallbackShareAboveOne": options.FallbackShare = 1.5; break;
            case "FallbackShareNaN": options.FallbackShare = double.NaN; break;
            case "OperationTimeout": options.OperationTimeout = TimeSpan.Zero; break;
            case "RetryInterval": options.RetryInterval = TimeSpan.FromSeconds(-1); break;
            case "LeaseTtl": options.LeaseTtl = TimeSpan.FromMilliseconds(999); break;
            case "KeyPrefixEmpty": options.KeyPrefix = ""; break;
            case "KeyPrefixSpace": options.KeyPrefix = "agent sphere"; break;
            case "Configuration": options.Configuration = "127.0.0.1:6379,password=hunter2,notAnOption=1"; break;
            default: throw new ArgumentOutOfRangeException(nameof(scenario));
        }

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(key + " ", failure, StringComparison.Ordinal);
        Assert.Contains(range, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEach()
    {
        var options = new RedisOptions { FallbackShare = 0, LeaseTtl = TimeSpan.Zero, OperationTimeout = TimeSpan.Zero };

        var result = _validator.Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
    }
}
