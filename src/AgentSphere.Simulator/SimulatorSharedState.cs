using AgentSphere.Simulator.Randomness;
using AgentSphere.Simulator.Sandboxes;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator;

/// <summary>
/// The sandbox database behind a fleet of simulators: give the same instance to several <see cref="SimulatorServer"/>s
/// and they behave like replicas of one AgentSphere control plane (a sandbox created through one is listed, read and
/// deleted through any other), each with its own latency, capacity, load and faults.
/// </summary>
public sealed class SimulatorSharedState
{
    /// <summary>Creates an empty store; <paramref name="seed"/> makes its sandbox ids reproducible.</summary>
    public SimulatorSharedState(TimeProvider? timeProvider = null, int? seed = null, string clientId = "6532622b", string envdVersion = "0.2.0")
    {
        var options = Options.Create(new SimulatorOptions { ClientId = clientId, EnvdVersion = envdVersion });
        Store = new SandboxStore(timeProvider ?? TimeProvider.System, new SimulatorRandom(seed), options);
    }

    internal SandboxStore Store { get; }
}
