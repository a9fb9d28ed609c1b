using System.Globalization;
using AgentSphere.Simulator.Faults;
using AgentSphere.Simulator.Sandboxes;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Load;

/// <summary>Computes the load figures reported by <c>/health</c> and the <c>X-AgentSphere-Load</c> header.</summary>
/// <remarks>
/// cpu = 0.05 + 0.9 · inService / capacity and memory = 0.15 + 0.75 · runningSandboxes / MaxSandboxes, both clamped to
/// 0..1; a fault's <c>cpu</c> / <c>memory</c> replaces the computed figure. Reading the load draws no random numbers.
/// </remarks>
internal sealed class LoadMonitor(ServiceSlots slots, SandboxStore store, FaultState faults, IOptions<SimulatorOptions> options)
{
    /// <summary>Name of the response header carrying the load.</summary>
    public const string HeaderName = "X-AgentSphere-Load";

    private readonly int _maxSandboxes = options.Value.MaxSandboxes;

    public SimulatorLoad GetLoad()
    {
        var (inService, waiting) = slots.GetCounts();
        var running = store.CountRunning();
        var current = faults.Current;
        var cpu = current.Cpu ?? Math.Clamp(0.05 + (0.9 * inService / slots.Capacity), 0, 1);
        var memory = current.Memory ?? Math.Clamp(0.15 + (0.75 * running / _maxSandboxes), 0, 1);
        return new SimulatorLoad(cpu, memory, waiting, running, inService + waiting, slots.Capacity);
    }

    /// <summary>Formats the header value, e.g. <c>cpu=0.42;memory=0.31;queue=3</c>.</summary>
    public static string FormatHeader(SimulatorLoad load) =>
        string.Create(CultureInfo.InvariantCulture, $"cpu={load.Cpu:F2};memory={load.Memory:F2};queue={load.QueueLength}");
}
