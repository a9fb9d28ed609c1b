using AgentSphere.Simulator.Randomness;
using AgentSphere.Simulator.Sandboxes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Simulator.Tests.Infrastructure;

/// <summary>Builds a <see cref="SandboxStore"/> on a fake clock with a seeded random.</summary>
internal static class TestStore
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static SandboxStore Create(FakeTimeProvider clock, int seed = 1) =>
        new(clock, new SimulatorRandom(seed), Options.Create(new SimulatorOptions()));

    public static SandboxSpec Spec(int timeoutSeconds = 15, IReadOnlyDictionary<string, string>? metadata = null, bool autoPause = false, bool secure = false) =>
        new("base", TimeSpan.FromSeconds(timeoutSeconds), metadata ?? new Dictionary<string, string>(), new Dictionary<string, string>(), autoPause, secure);
}
