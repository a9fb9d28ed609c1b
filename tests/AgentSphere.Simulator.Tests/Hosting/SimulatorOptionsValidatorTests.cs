using AgentSphere.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Tests.Hosting;

public sealed class SimulatorOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new SimulatorOptionsValidator().Validate(null, new SimulatorOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(SimulatorOptions.LatencyScale))]
    [InlineData(nameof(SimulatorOptions.Capacity))]
    [InlineData(nameof(SimulatorOptions.MaxSandboxes))]
    [InlineData(nameof(SimulatorOptions.EnvdVersion))]
    [InlineData(nameof(SimulatorOptions.Name))]
    [InlineData(nameof(SimulatorOptions.ClientId))]
    [InlineData(nameof(SimulatorOptions.ApiKeys))]
    public void Validate_BadValue_FailsNamingTheKey(string key)
    {
        // Arrange
        var options = new SimulatorOptions();
        switch (key)
        {
            case nameof(SimulatorOptions.LatencyScale): options.LatencyScale = -0.5; break;
            case nameof(SimulatorOptions.Capacity): options.Capacity = 0; break;
            case nameof(SimulatorOptions.MaxSandboxes): options.MaxSandboxes = 0; break;
            case nameof(SimulatorOptions.EnvdVersion): options.EnvdVersion = "0.0.9"; break;
            case nameof(SimulatorOptions.Name): options.Name = " "; break;
            case nameof(SimulatorOptions.ClientId): options.ClientId = ""; break;
            default: options.ApiKeys = ["ok", ""]; break;
        }

        // Act
        var result = new SimulatorOptionsValidator().Validate(null, options);

        // Assert
        Assert.True(result.Failed);
        Assert.Contains($"Simulator:{key}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsOptionsValidationException()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SimulatorServer.StartAsync(new SimulatorOptions { Capacity = 0 }));

        Assert.Contains("Simulator:Capacity", error.Message, StringComparison.Ordinal);
    }
}
