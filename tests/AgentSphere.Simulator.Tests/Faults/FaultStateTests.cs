using System.Text.Json;
using AgentSphere.Simulator.Faults;

namespace AgentSphere.Simulator.Tests.Faults;

public sealed class FaultStateTests
{
    [Fact]
    public void TryApply_Subset_KeepsFieldsNotGiven()
    {
        // Arrange
        var state = new FaultState();
        state.Set(new SimulatorFaults { ExtraLatencyMs = 200, Cpu = 0.7 });

        // Act
        var applied = state.TryApply(Parse("""{"errorRate":0.25,"down":true}"""), out var error);

        // Assert
        Assert.True(applied, error);
        var current = state.Snapshot();
        Assert.Equal(200, current.ExtraLatencyMs);
        Assert.Equal(0.7, current.Cpu);
        Assert.Equal(0.25, current.ErrorRate);
        Assert.True(current.Down);
    }

    [Fact]
    public void TryApply_NullCpu_RemovesTheOverride()
    {
        var state = new FaultState();
        state.Set(new SimulatorFaults { Cpu = 0.7 });

        Assert.True(state.TryApply(Parse("""{"cpu":null}"""), out _));

        Assert.Null(state.Current.Cpu);
    }

    [Theory]
    [InlineData("""{"errorRate":1.5}""", "errorRate")]
    [InlineData("""{"extraLatencyMs":-1}""", "extraLatencyMs")]
    [InlineData("""{"errorStatusCode":200}""", "errorStatusCode")]
    [InlineData("""{"down":"yes"}""", "down")]
    [InlineData("""{"bogus":1}""", "bogus")]
    [InlineData("""[1]""", "object")]
    public void TryApply_InvalidPatch_IsRejectedAndChangesNothing(string json, string mentioned)
    {
        var state = new FaultState();

        var applied = state.TryApply(Parse(json), out var error);

        Assert.False(applied);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(new SimulatorFaults()), JsonSerializer.Serialize(state.Current));
    }

    [Fact]
    public void Set_InvalidFaults_Throws()
    {
        var state = new FaultState();

        Assert.Throws<ArgumentException>(() => state.Set(new SimulatorFaults { ErrorRate = -0.1 }));
    }

    [Fact]
    public void Set_ThenMutateCaller_DoesNotLeakIntoState()
    {
        var state = new FaultState();
        var faults = new SimulatorFaults { ExtraLatencyMs = 5 };

        state.Set(faults);
        faults.ExtraLatencyMs = 999;

        Assert.Equal(5, state.Current.ExtraLatencyMs);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
