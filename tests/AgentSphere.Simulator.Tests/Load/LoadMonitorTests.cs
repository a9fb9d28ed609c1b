using AgentSphere.Simulator.Faults;
using AgentSphere.Simulator.Load;
using AgentSphere.Simulator.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Simulator.Tests.Load;

public sealed class LoadMonitorTests
{
    [Fact]
    public void GetLoad_SlotsAndSandboxesInUse_FollowsTheLoadModel()
    {
        // Arrange
        var clock = new FakeTimeProvider(TestStore.Start);
        var store = TestStore.Create(clock);
        var slots = new ServiceSlots(10);
        var monitor = new LoadMonitor(slots, store, new FaultState(), Options.Create(new SimulatorOptions { Capacity = 10, MaxSandboxes = 4 }));
        slots.TryAcquire();
        slots.TryAcquire();
        store.Create("team", TestStore.Spec());
        store.Create("team", TestStore.Spec());

        // Act
        var load = monitor.GetLoad();

        // Assert
        Assert.Equal(0.05 + (0.9 * 2 / 10), load.Cpu, 9);
        Assert.Equal(0.15 + (0.75 * 2 / 4), load.Memory, 9);
        Assert.Equal(new SimulatorLoad(load.Cpu, load.Memory, 0, 2, 2, 10), load);
    }

    [Fact]
    public void GetLoad_FaultOverrides_ReplaceComputedFigures()
    {
        var clock = new FakeTimeProvider(TestStore.Start);
        var faults = new FaultState();
        faults.Set(new SimulatorFaults { Cpu = 0.9, Memory = 0.8 });
        var monitor = new LoadMonitor(new ServiceSlots(1), TestStore.Create(clock), faults, Options.Create(new SimulatorOptions()));

        var load = monitor.GetLoad();

        Assert.Equal(0.9, load.Cpu);
        Assert.Equal(0.8, load.Memory);
    }

    [Fact]
    public void FormatHeader_Load_UsesInvariantTwoDecimals()
    {
        var header = LoadMonitor.FormatHeader(new SimulatorLoad(0.4249, 0.3051, 3, 0, 0, 1));

        Assert.Equal("cpu=0.42;memory=0.31;queue=3", header);
    }
}
