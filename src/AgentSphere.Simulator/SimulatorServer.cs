using AgentSphere.Simulator.Faults;
using AgentSphere.Simulator.Load;
using AgentSphere.Simulator.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace AgentSphere.Simulator;

/// <summary>A simulator hosted in this process on its own Kestrel listener, for demos and tests.</summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FaultState _faults;
    private readonly RequestCounters _counters;
    private readonly LoadMonitor _load;
    private int _disposed;

    private SimulatorServer(WebApplication app, Uri baseAddress, string name)
    {
        _app = app;
        BaseAddress = baseAddress;
        Name = name;
        _faults = app.Services.GetRequiredService<FaultState>();
        _counters = app.Services.GetRequiredService<RequestCounters>();
        _load = app.Services.GetRequiredService<LoadMonitor>();
    }

    /// <summary>The address the simulator listens on, with the real bound port and a trailing slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The simulator's name (<see cref="SimulatorOptions.Name"/>).</summary>
    public string Name { get; }

    /// <summary>Starts a simulator; <paramref name="url"/> may use port 0 to pick a free port.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, TimeProvider? timeProvider = null, string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default) =>
        StartAsync(options, sharedState: null, timeProvider, url, cancellationToken);

    /// <summary>Starts a simulator that keeps its sandboxes in <paramref name="sharedState"/> (null: a private store), so several simulators act as one fleet.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static async Task<SimulatorServer> StartAsync(SimulatorOptions options, SimulatorSharedState? sharedState, TimeProvider? timeProvider = null, string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var snapshot = options.Clone();
        var app = SimulatorApplication.BuildInProcess(snapshot, timeProvider ?? TimeProvider.System, url, sharedState);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var server = new SimulatorServer(app, new Uri(address.TrimEnd('/') + "/"), snapshot.Name);
            SimulatorLog.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<SimulatorServer>(), server.Name, server.BaseAddress);
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Replaces the injected faults.</summary>
    public void SetFaults(SimulatorFaults faults) => _faults.Set(faults);

    /// <summary>A copy of the injected faults.</summary>
    public SimulatorFaults GetFaults() => _faults.Snapshot();

    /// <summary>Removes every injected fault.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>API requests served so far for an operation (list, find, connect, deploy, monitor, cleanup, keepalive, lifecycle, health).</summary>
    public long GetRequestCount(string operation) => _counters.Get(operation);

    /// <summary>The load figures <c>/health</c> reports.</summary>
    public SimulatorLoad GetLoad() => _load.GetLoad();

    /// <summary>Stops Kestrel and frees the port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
