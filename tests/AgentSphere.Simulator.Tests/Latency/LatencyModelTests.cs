using AgentSphere.Simulator.Api;
using AgentSphere.Simulator.Latency;
using AgentSphere.Simulator.Randomness;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Tests.Latency;

public sealed class LatencyModelTests
{
    [Fact]
    public void NextDelay_ScaleZero_DrawsNoRandomNumberAndAddsOnlyExtraLatency()
    {
        // Arrange
        var random = new SimulatorRandom(5);
        var model = new LatencyModel(random, Options.Create(new SimulatorOptions { LatencyScale = 0 }));

        // Act
        var delay = model.NextDelay(OperationNames.Deploy, new SimulatorFaults { ExtraLatencyMs = 250 });

        // Assert: the random sequence is untouched, so ids stay the same as without any request.
        Assert.Equal(TimeSpan.FromMilliseconds(250), delay);
        Assert.Equal(new SimulatorRandom(5).NextAlphanumeric(20), random.NextAlphanumeric(20));
    }

    [Fact]
    public void NextDelay_ScaleAndFactor_MultiplyTheSample()
    {
        // Arrange: the same seed gives the same uniform draw to both models.
        var baseline = new LatencyModel(new SimulatorRandom(9), Options.Create(new SimulatorOptions { LatencyScale = 1 }));
        var scaled = new LatencyModel(new SimulatorRandom(9), Options.Create(new SimulatorOptions { LatencyScale = 0.5 }));

        // Act
        var one = baseline.NextDelay(OperationNames.List, new SimulatorFaults());
        var quarter = scaled.NextDelay(OperationNames.List, new SimulatorFaults { LatencyFactor = 0.5, ExtraLatencyMs = 10 });

        // Assert
        Assert.Equal((one.TotalMilliseconds * 0.25) + 10, quarter.TotalMilliseconds, 3);
        Assert.InRange(one.TotalMilliseconds, 80, 160);
    }

    [Fact]
    public void NextDelay_Health_IsZero()
    {
        var model = new LatencyModel(new SimulatorRandom(1), Options.Create(new SimulatorOptions()));

        Assert.Equal(TimeSpan.Zero, model.NextDelay(OperationNames.Health, new SimulatorFaults()));
    }
}
