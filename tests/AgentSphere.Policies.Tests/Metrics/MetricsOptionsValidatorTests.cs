using AgentSphere.Policies.Metrics;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class MetricsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_SucceedWithASixtySecondWindow()
    {
        var options = new MetricsOptions();

        Assert.True(new MetricsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Window);
    }

    [Theory]
    [InlineData("00:00:04", "00:00:04")]
    [InlineData("00:10:01", "00:10:01")]
    [InlineData("00:00:30.5", "00:00:30.5000000")]
    public void Validate_BadWindow_FailsNamingTheKeyAndTheAllowedValues(string window, string shown)
    {
        var result = new MetricsOptionsValidator().Validate(null, new MetricsOptions { Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal($"Metrics:Window must be whole seconds between 00:00:05 and 00:10:00 (hh:mm:ss); got {shown}.", Assert.Single(result.Failures!));
    }
}
