using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Tests.Cli;

public sealed class LoadTestOptionsTests
{
    [Fact]
    public void Parse_Minimal_LeavesScenarioDefaultsOpen()
    {
        var options = LoadTestOptions.Parse(["methods", "--target", "http://127.0.0.1:19080"]);

        Assert.Equal("methods", options.Scenario);
        Assert.Null(options.Rate);
        Assert.Null(options.Duration);
        Assert.Null(options.ApiKeys);
        Assert.Null(options.Pool);
        Assert.Null(options.MetricsUrl);
        Assert.False(options.CacheBypass);
        Assert.Equal(1, options.TimeScale);
        Assert.Same(OperationMix.Default, options.Mix);
    }

    [Fact]
    public void Parse_Everything()
    {
        var options = LoadTestOptions.Parse(
        [
            "capacity", "--target=http://127.0.0.1:19080", "--rate", "100", "--duration", "2m", "--warmup", "0", "--time-scale", "0.1",
            "--report", "out/c", "--api-keys", "500", "--seed", "3", "--metrics", "http://127.0.0.1:19081/metrics", "--mix", "list=1",
            "--pool", "20", "--cache-bypass", "--step-duration", "5s", "--step-factor", "2", "--max-rate", "4000", "--p99-limit", "500",
            "--error-limit", "2.5",
        ]);

        Assert.Equal(100, options.Rate);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Duration);
        Assert.Equal(TimeSpan.Zero, options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(12), options.Scaled(TimeSpan.FromMinutes(2)));
        Assert.Equal("out/c", options.ReportPath);
        Assert.Equal(500, options.ApiKeys);
        Assert.Equal(new Uri("http://127.0.0.1:19081/metrics"), options.MetricsUrl);
        Assert.Equal("list=1", options.Mix.ToString());
        Assert.Equal(20, options.Pool);
        Assert.True(options.CacheBypass);
        Assert.Equal(TimeSpan.FromSeconds(5), options.StepDuration);
        Assert.Equal((2.0, 4000.0, 500.0, 0.025), (options.StepFactor, options.MaxRate, options.P99LimitMs, options.ErrorLimit));
    }

    [Theory]
    [InlineData("methods")]
    [InlineData("methods", "--target", "ftp://x")]
    [InlineData("methods", "--target", "http://x", "--mix", "reads=1")]
    [InlineData("methods", "--target", "http://x", "--duration", "0")]
    [InlineData("methods", "--target", "http://x", "--bogus", "1")]
    [InlineData("methods", "ramp", "--target", "http://x")]
    [InlineData("methods", "--target", "http://x", "--rate")]
    public void Parse_Invalid_ThrowsUsageException(params string[] args) =>
        Assert.Throws<UsageException>(() => LoadTestOptions.Parse(args));
}
