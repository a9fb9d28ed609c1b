using Microsoft.Extensions.DependencyInjection;
using AgentSphere.Gateway.Hosting;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>A real gateway on loopback port 0 in front of real simulators, with a private copy of yarp.json.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly List<SimulatorServer> _ownedSimulators;

    private TestGateway(GatewayInstance instance, YarpConfigFile config, List<SimulatorServer> simulators, List<SimulatorServer> owned)
    {
        Instance = instance;
        Config = config;
        Simulators = simulators;
        _ownedSimulators = owned;
        Client = new HttpClient { BaseAddress = instance.PublicUri };
        Management = new HttpClient { BaseAddress = instance.ManagementUri };
        Management.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>The admin token every test gateway is started with (a test value, not a secret).</summary>
    public const string AdminToken = "test-admin-token-0123456789abcdef";

    public GatewayInstance Instance { get; }

    public YarpConfigFile Config { get; }

    public IReadOnlyList<SimulatorServer> Simulators { get; }

    /// <summary>A client of the public listener.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of the management listener, sending the admin token.</summary>
    public HttpClient Management { get; }

    public static async Task<TestGateway> StartAsync(
        IReadOnlyList<SimulatorServer>? simulators = null,
        TimeSpan? healthInterval = null,
        IEnumerable<string>? extraArgs = null,
        Action<YarpConfigFile>? configure = null,
        bool caching = false,
        Action<IServiceCollection>? services = null)
    {
        var owned = new List<SimulatorServer>();
        if (simulators is null)
        {
            owned.Add(await SimulatorServer.StartAsync(new SimulatorOptions { Name = "sim-1", LatencyScale = 0, Seed = 1 }));
            simulators = owned;
        }

        var config = YarpConfigFile.Create(simulators.Select(s => (s.Name, s.BaseAddress)), healthInterval);
        if (configure is not null)
        {
            configure(config);
            config.Save();
        }

        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Gateway:ManagementUrls=http://127.0.0.1:0",
            $"--Gateway:YarpConfigPath={config.FilePath}",
            "--Gateway:DiagnosticHeaders=true",

            // The test process hosts gateway, simulators, runner and every other test on two cores: neither its CPU nor its
            // managed heap says anything about the gateway. The resource guard is covered with a controlled pressure source in
            // the policy tests.
            "--Admission:Resources:CpuWaitPercent=100",
            "--Admission:Resources:CpuShedPercent=100",
            "--Admission:Resources:MaxHeapMegabytes=1048576",

            // Most tests count what reaches the backend; the cache tests turn it on.
            $"--Caching:Enabled={(caching ? "true" : "false")}",
            $"--Management:AdminToken={AdminToken}",
            .. extraArgs ?? [],
        ];
        try
        {
            var instance = await GatewayApplication.StartAsync(args, services);
            return new TestGateway(instance, config, [.. simulators], owned);
        }
        catch
        {
            config.Dispose();
            foreach (var simulator in owned)
            {
                await simulator.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        await Instance.DisposeAsync();
        foreach (var simulator in _ownedSimulators)
        {
            await simulator.DisposeAsync();
        }

        Config.Dispose();
    }
}
