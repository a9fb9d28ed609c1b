using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSphere.Benchmarks;

/// <summary>Everything the gateway's request timer records for one request (what <c>RequestMetricsMiddleware</c> does around the pipeline): the in-flight gauge, the caller count, the clock, the live window and the Prometheus histogram child.</summary>
[MemoryDiagnoser]
public class RequestRecordingBenchmarks
{
    private const int RecordsPerThread = 200_000;

    private ServiceProvider _services = null!;
    private GatewayMetrics _metrics = null!;
    private ILatencyRecorder _latency = null!;
    private IKpiTracker _kpis = null!;
    private TimeProvider _clock = null!;
    private string[] _callers = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddAgentSphereObservability();
        _services = services.BuildServiceProvider();
        _metrics = new GatewayMetrics();
        _latency = _services.GetRequiredService<ILatencyRecorder>();
        _kpis = _services.GetRequiredService<IKpiTracker>();
        _clock = TimeProvider.System;
        _callers = [.. Enumerable.Range(0, 64).Select(i => $"{i:x32}")];

        // The label combinations exist already, as they do after a gateway's first requests.
        RecordOne(0);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public void RecordRequest() => RecordOne(_next++);

    /// <summary>Two threads record requests at once (same operation, route and destination: the most contended case); time per request on one thread.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerThread)]
    public void RecordRequestTwoThreads()
    {
        var other = new Thread(() => RecordMany(1));
        other.Start();
        RecordMany(0);
        other.Join();
    }

    private void RecordMany(int offset)
    {
        for (var i = 0; i < RecordsPerThread; i++)
        {
            RecordOne(i + offset);
        }
    }

    private void RecordOne(int i)
    {
        var caller = _callers[i & 63];
        var started = _clock.GetTimestamp();
        _metrics.RequestStarted();
        _kpis.RequestStarted(caller);
        var elapsed = _clock.GetElapsedTime(started) + TimeSpan.FromMilliseconds(120);
        _latency.Record(AgentSphereOperation.List, elapsed, 200);
        _metrics.RequestFinished(AgentSphereOperation.List, "list", 200, "backend-1", elapsed, failed: false);
        _kpis.RequestFinished(caller);
    }
}
