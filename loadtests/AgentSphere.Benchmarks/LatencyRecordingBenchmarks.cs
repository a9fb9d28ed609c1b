using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSphere.Benchmarks;

/// <summary>The cost of recording one request's latency on the request path (alone, and with two threads recording the same operation at once), and of reading the KPIs a dashboard polls.</summary>
[MemoryDiagnoser]
public class LatencyRecordingBenchmarks
{
    private const int RecordsPerThread = 1_000_000;
    private const int LatencyMask = 1023;

    private ServiceProvider _services = null!;
    private ServiceProvider _filledServices = null!;
    private ILatencyRecorder _recorder = null!;
    private IKpiTracker _filledKpis = null!;
    private TimeSpan[] _latencies = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // The seed's list latencies, 100 to 300 ms, so records spread over buckets as in service.
        var random = new Random(42);
        _latencies = Enumerable.Range(0, LatencyMask + 1).Select(_ => TimeSpan.FromMilliseconds(100 + (random.NextDouble() * 200))).ToArray();

        _services = Build(TimeProvider.System);
        _recorder = _services.GetRequiredService<ILatencyRecorder>();

        // A window with every second of the last minute holding six operations' requests: the most a snapshot has to merge.
        var clock = new ManualTimeProvider();
        _filledServices = Build(clock);
        var filled = _filledServices.GetRequiredService<ILatencyRecorder>();
        var operations = new[] { AgentSphereOperation.List, AgentSphereOperation.Find, AgentSphereOperation.Connect, AgentSphereOperation.Deploy, AgentSphereOperation.Monitor, AgentSphereOperation.Cleanup };
        for (var second = 0; second < 62; second++)
        {
            for (var i = 0; i < 300; i++)
            {
                filled.Record(operations[i % operations.Length], _latencies[i & LatencyMask], 200);
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }

        _filledKpis = _filledServices.GetRequiredService<IKpiTracker>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _filledServices.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Record() => _recorder.Record(AgentSphereOperation.List, _latencies[_next++ & LatencyMask], 200);

    /// <summary>Two threads each record <see cref="RecordsPerThread"/> requests of the same operation at once; the figure is the time per record on one thread.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerThread)]
    public void RecordTwoThreadsSameOperation()
    {
        var other = new Thread(() => RecordMany(1));
        other.Start();
        RecordMany(0);
        other.Join();
    }

    [Benchmark]
    public KpiSnapshot SnapshotFullWindow() => _filledKpis.Snapshot();

    private static ServiceProvider Build(TimeProvider timeProvider)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(timeProvider);
        services.AddLogging();
        services.AddAgentSphereObservability();
        return services.BuildServiceProvider();
    }

    private void RecordMany(int offset)
    {
        for (var i = 0; i < RecordsPerThread; i++)
        {
            _recorder.Record(AgentSphereOperation.List, _latencies[(i + offset) & LatencyMask], 200);
        }
    }
}
