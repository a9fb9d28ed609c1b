using AgentSphere.Policies.Metrics;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class AlertOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new AlertOptionsValidator().Validate(null, new AlertOptions()).Succeeded);
    }

    [Fact]
    public void Defaults_AreTheSeedsThresholds()
    {
        var options = new AlertOptions();

        Assert.Equal(
            [(70.0, 85.0, 95.0), (60, 80, 90), (400, 600, 800), (30, 45, 50), (1000, 2000, 5000)],
            AlertMetrics.All.Select(m => options.GetThresholds(m)).Select(t => (t.Warning, t.Critical, t.Emergency)));
        Assert.Equal((true, TimeSpan.FromSeconds(5), 200, 5.0), (options.Enabled, options.EvaluationInterval, options.HistorySize, options.HysteresisPercent));
    }

    [Theory]
    [InlineData("Alerts:SystemCpu:Critical must be greater than Alerts:SystemCpu:Warning (60); got 50.")]
    [InlineData("Alerts:SystemMemory:Emergency must be greater than Alerts:SystemMemory:Critical (85); got 85.")]
    [InlineData("Alerts:SystemCpu:Emergency must be at most 100 (%); got 120.")]
    [InlineData("Alerts:GatewayMemory:Warning must be a number above 0 (MB); got 0.")]
    [InlineData("Alerts:ResponseTime:Warning must be a number above 0 (ms); got NaN.")]
    [InlineData("Alerts:ActiveSandboxes must set Warning, Critical and Emergency.")]
    [InlineData("Alerts:EvaluationInterval must be between 00:00:01 and 01:00:00 (hh:mm:ss); got 00:00:00.5000000.")]
    [InlineData("Alerts:HistorySize must be between 1 and 10000; got 0.")]
    [InlineData("Alerts:HysteresisPercent must be between 0 and 50; got 60.")]
    public void Validate_BadValue_FailsNamingTheKeyAndTheAllowedValues(string expected)
    {
        var options = new AlertOptions
        {
            EvaluationInterval = TimeSpan.FromMilliseconds(500),
            HistorySize = 0,
            HysteresisPercent = 60,
            SystemCpu = new AlertThresholds(60, 50, 120),
            GatewayMemory = new AlertThresholds(0, 600, 800),
            ResponseTime = new AlertThresholds(double.NaN, 2000, 5000),
            ActiveSandboxes = null!,
        };
        options.SystemMemory.Emergency = 85;

        var result = new AlertOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.Failures!);
    }
}
