using AgentSphere.Gateway.Configuration;
using AgentSphere.Simulator;
using Yarp.ReverseProxy.Configuration;

namespace AgentSphere.Gateway.Demo;

/// <summary>The simulated AgentSphere backends of <c>--demo</c>, hosted in this process on free loopback ports.</summary>
public sealed class DemoFleet : IAsyncDisposable
{
    private readonly List<SimulatorServer> _servers;

    private DemoFleet(List<SimulatorServer> servers)
    {
        _servers = servers;
        Destinations = servers.ToDictionary(
            s => s.Name,
            s => new DestinationConfig { Address = s.BaseAddress.ToString() },
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The running simulators.</summary>
    public IReadOnlyList<SimulatorServer> Servers => _servers;

    /// <summary>YARP destinations pointing at the simulators, keyed by their names (sim-1, sim-2, ...).</summary>
    public IReadOnlyDictionary<string, DestinationConfig> Destinations { get; }

    /// <summary>Starts <see cref="DemoOptions.Backends"/> simulators.</summary>
    public static async Task<DemoFleet> StartAsync(DemoOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        // One store behind every backend: replicas of one control plane, as a real AgentSphere fleet shares its database.
        var sharedState = new SimulatorSharedState(timeProvider, options.Seed);
        var servers = new List<SimulatorServer>(options.Backends);
        try
        {
            for (var i = 0; i < options.Backends; i++)
            {
                var simulator = new SimulatorOptions
                {
                    Name = $"sim-{i + 1}",
                    LatencyScale = options.LatencyScale,
                    Capacity = options.Capacity,
                    Seed = options.Seed + i,
                };
                servers.Add(await SimulatorServer.StartAsync(simulator, sharedState, timeProvider, "http://127.0.0.1:0", cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new DemoFleet(servers);
    }

    /// <summary>Stops every simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
