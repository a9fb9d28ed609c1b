using System.Text.Json;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>Two real gateways in front of one real simulator, sharing a real <c>redis-server</c> on loopback; started per test and stopped after it.</summary>
public abstract class RedisGatewayPair(string simulatorName, int seed, bool caching, params string[] extraArgs) : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;

    internal SimulatorServer Simulator { get; private set; } = null!;

    internal TestGateway First { get; private set; } = null!;

    internal TestGateway Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartNewAsync();
        Simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Name = simulatorName, LatencyScale = 0, Seed = seed });
        First = await StartGatewayAsync();
        Second = await StartGatewayAsync();
        await WaitForSharedStateAsync("shared");
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Simulator.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>Waits until both gateways' <c>/healthz</c> report <paramref name="state"/> (shared, local-fallback).</summary>
    internal async Task WaitForSharedStateAsync(string state)
    {
        foreach (var gateway in new[] { First, Second })
        {
            await Eventually.ReturnsAsync(
                () => gateway.Management.GetStringAsync("/healthz"),
                body => JsonDocument.Parse(body).RootElement.GetProperty("sharedState").GetString() == state,
                $"healthz sharedState {state}");
        }
    }

    private Task<TestGateway> StartGatewayAsync() =>
        TestGateway.StartAsync([Simulator], caching: caching, extraArgs: [$"--Redis:Configuration={Redis.ConnectionString}", .. extraArgs]);
}
