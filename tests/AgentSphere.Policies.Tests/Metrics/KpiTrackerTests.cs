using System.Text.Json;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class KpiTrackerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly OperationLatencyWindow _window;
    private readonly KpiTracker _tracker;

    public KpiTrackerTests()
    {
        _window = new OperationLatencyWindow(TimeSpan.FromSeconds(60), _time);
        _tracker = new KpiTracker(_window, _time);
    }

    [Fact]
    public void Snapshot_RequestsOverTheWindow_GivesRequestsPerSecondAndOperationsPerMinute()
    {
        Record(AgentSphereOperation.List, 120, TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromSeconds(30));

        var halfWindow = _tracker.Snapshot();

        Assert.Equal(30, halfWindow.CoveredSeconds);
        Assert.Equal(120, halfWindow.Requests);
        Assert.Equal(4, halfWindow.RequestsPerSecond, precision: 9);
        Assert.Equal(240, halfWindow.OperationsPerMinute, precision: 9);

        _time.Advance(TimeSpan.FromSeconds(60));
        Record(AgentSphereOperation.Connect, 90, TimeSpan.FromMilliseconds(250));

        var fullWindow = _tracker.Snapshot();

        Assert.Equal(60, fullWindow.WindowSeconds);
        Assert.Equal(60, fullWindow.CoveredSeconds);
        Assert.Equal(90, fullWindow.Requests);
        Assert.Equal(1.5, fullWindow.RequestsPerSecond, precision: 9);
        Assert.Equal(90, fullWindow.OperationsPerMinute, precision: 9);
        Assert.Equal("connect", Assert.Single(fullWindow.Operations).Operation);
    }

    [Fact]
    public void Snapshot_SomeFailures_GivesErrorAndSuccessRates()
    {
        Record(AgentSphereOperation.Deploy, 8, TimeSpan.FromSeconds(1));
        _window.Record(AgentSphereOperation.Deploy, TimeSpan.FromSeconds(1), 503);
        _window.Record(AgentSphereOperation.Deploy, TimeSpan.FromSeconds(1), 0, transportFailure: true);

        var snapshot = _tracker.Snapshot();

        Assert.Equal(10, snapshot.Requests);
        Assert.Equal(2, snapshot.Errors);
        Assert.Equal(20, snapshot.ErrorRatePercent, precision: 9);
        Assert.Equal(80, snapshot.SuccessRatePercent, precision: 9);
    }

    [Fact]
    public void Snapshot_NoRequests_ZeroLatencyAndFullSuccess()
    {
        var snapshot = _tracker.Snapshot();

        Assert.Equal(0, snapshot.Requests);
        Assert.Equal(0, snapshot.P95Milliseconds);
        Assert.Equal(0, snapshot.AverageMilliseconds);
        Assert.Equal(0, snapshot.ErrorRatePercent);
        Assert.Equal(100, snapshot.SuccessRatePercent);
        Assert.Equal(0, snapshot.RequestsPerSecond);
        Assert.Empty(snapshot.Operations);
    }

    [Fact]
    public void Snapshot_Latencies_GivesOverallAverageAndPercentiles()
    {
        Record(AgentSphereOperation.List, 90, TimeSpan.FromMilliseconds(100));
        Record(AgentSphereOperation.Monitor, 10, TimeSpan.FromMilliseconds(800));

        var snapshot = _tracker.Snapshot();

        Assert.Equal(170, snapshot.AverageMilliseconds, precision: 9);
        Assert.InRange(snapshot.P50Milliseconds, 99.2, 100.8);
        Assert.InRange(snapshot.P95Milliseconds, 793.75, 806.25);
        Assert.InRange(snapshot.P99Milliseconds, 793.75, 806.25);
        Assert.Equal(800, snapshot.MaxMilliseconds);
        Assert.Equal(["list", "monitor"], snapshot.Operations.Select(o => o.Operation));
    }

    [Fact]
    public void Snapshot_SerializedAsJson_CarriesUnitsInNames()
    {
        _tracker.RequestStarted("caller-a");
        Record(AgentSphereOperation.List, 3, TimeSpan.FromMilliseconds(120));

        var json = JsonSerializer.Serialize(_tracker.Snapshot());

        Assert.Contains("\"P95Milliseconds\":", json, StringComparison.Ordinal);
        Assert.Contains("\"RequestsPerSecond\":3", json, StringComparison.Ordinal);
        Assert.Contains("\"ConcurrentCallers\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"Operations\":[{\"Operation\":\"list\",\"Requests\":3,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_ClockAdvanced_GivesUptime()
    {
        var started = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(90));

        var snapshot = _tracker.Snapshot();

        Assert.Equal(started, snapshot.StartedAt);
        Assert.Equal(started.AddMinutes(90), snapshot.Timestamp);
        Assert.Equal(5400, snapshot.UptimeSeconds);
    }

    [Fact]
    public void RequestStarted_CallersAndAnonymousRequests_CountsDistinctCallersInService()
    {
        _tracker.RequestStarted("caller-a");
        _tracker.RequestStarted("caller-a");
        _tracker.RequestStarted("caller-b");
        _tracker.RequestStarted(null);
        Assert.Equal((2, 4), InService());

        _tracker.RequestFinished("caller-a");
        Assert.Equal((2, 3), InService());

        _tracker.RequestFinished("caller-a");
        Assert.Equal((1, 2), InService());

        _tracker.RequestFinished("caller-b");
        _tracker.RequestFinished(null);
        Assert.Equal((0, 0), InService());
    }

    [Fact]
    public void RequestFinished_CallerWithNothingInService_IsIgnored()
    {
        _tracker.RequestStarted("caller-a");

        _tracker.RequestFinished("caller-b");

        Assert.Equal((1, 1), InService());
    }

    [Fact]
    public void RequestStarted_ManyThreadsAndCallers_CountsBalance()
    {
        const int threads = 4;
        const int perThread = 20_000;
        using var start = new Barrier(threads);
        var callers = Enumerable.Range(0, 8).Select(i => $"caller-{i}").ToArray();

        Run(threads, t =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                _tracker.RequestStarted(callers[(t + i) % callers.Length]);
            }
        });
        Assert.Equal((8, threads * perThread), InService());

        Run(threads, t =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                _tracker.RequestFinished(callers[(t + i) % callers.Length]);
            }
        });
        Assert.Equal((0, 0), InService());

        Run(threads, t =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                var caller = callers[(t + i) % callers.Length];
                _tracker.RequestStarted(caller);
                _tracker.RequestFinished(caller);
            }
        });
        Assert.Equal((0, 0), InService());
    }

    private (int Callers, int Requests) InService()
    {
        var snapshot = _tracker.Snapshot();
        return (snapshot.ConcurrentCallers, snapshot.RequestsInService);
    }

    private void Record(AgentSphereOperation operation, int count, TimeSpan elapsed)
    {
        for (var i = 0; i < count; i++)
        {
            _window.Record(operation, elapsed, 200);
        }
    }

    private static void Run(int threads, Action<int> body)
    {
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() => body(t))).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }
    }
}
