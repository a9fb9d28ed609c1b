using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Tests;

public sealed class SimulatorApplicationTests
{
    [Fact]
    public async Task Build_CommandLineSwitches_MapToSimulatorOptions()
    {
        // Arrange
        string[] args = ["--urls", "http://127.0.0.1:0", "--latency-scale", "0.25", "--capacity", "7", "--name", "sim-x", "--seed", "42"];

        // Act
        await using var app = SimulatorApplication.Build(args);
        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;

        // Assert
        Assert.Equal(0.25, options.LatencyScale);
        Assert.Equal(7, options.Capacity);
        Assert.Equal("sim-x", options.Name);
        Assert.Equal(42, options.Seed);
    }

    [Fact]
    public async Task Build_InvalidSwitch_FailsValidationOnStart()
    {
        await using var app = SimulatorApplication.Build(["--urls", "http://127.0.0.1:0", "--capacity", "0"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Simulator:Capacity must be >= 1", error.Message, StringComparison.Ordinal);
    }
}
