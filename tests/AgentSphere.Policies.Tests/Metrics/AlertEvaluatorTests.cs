using System.Text.Json;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class AlertEvaluatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger<AlertEvaluator> _logger = new();

    [Fact]
    public void Evaluate_CpuRisesAndFalls_RaisesEscalatesDeEscalatesAndResolvesLoggingEachOnce()
    {
        var evaluator = new AlertEvaluator(new AlertOptions(), _logger);
        var start = _time.GetUtcNow();
        (double Cpu, AlertLevel Level)[] steps =
        [
            (50, AlertLevel.None),
            (65, AlertLevel.Warning),   // raised at 60
            (65, AlertLevel.Warning),   // unchanged: nothing logged
            (85, AlertLevel.Critical),  // escalated at 80
            (92, AlertLevel.Emergency), // escalated at 90
            (88, AlertLevel.Emergency), // held: 88 >= 90 x 0.95
            (84, AlertLevel.Critical),  // de-escalated: below 85.5, held above 76
            (70, AlertLevel.Warning),   // de-escalated: below 76
            (58, AlertLevel.Warning),   // held: 58 >= 60 x 0.95
            (56, AlertLevel.None),      // resolved: below 57
            (56, AlertLevel.None),
        ];

        foreach (var (cpu, level) in steps)
        {
            evaluator.Evaluate(Cpu(cpu), _time.GetUtcNow());
            Assert.Equal(level, evaluator.Snapshot().Active.SingleOrDefault()?.Level ?? AlertLevel.None);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var history = evaluator.Snapshot().History;
        Assert.Equal(
            [
                (AlertTransition.Resolved, AlertLevel.Warning, AlertLevel.None, 56.0, 60.0),
                (AlertTransition.DeEscalated, AlertLevel.Critical, AlertLevel.Warning, 70.0, 80.0),
                (AlertTransition.DeEscalated, AlertLevel.Emergency, AlertLevel.Critical, 84.0, 90.0),
                (AlertTransition.Escalated, AlertLevel.Critical, AlertLevel.Emergency, 92.0, 90.0),
                (AlertTransition.Escalated, AlertLevel.Warning, AlertLevel.Critical, 85.0, 80.0),
                (AlertTransition.Raised, AlertLevel.None, AlertLevel.Warning, 65.0, 60.0),
            ],
            history.Select(e => (e.Transition, e.PreviousLevel, e.Level, e.Value, e.Threshold)));
        Assert.Equal(
            [45.0, 35, 30, 20, 15, 5],
            history.Select(e => (e.Timestamp - start).TotalSeconds));
        Assert.All(history, e => Assert.Equal(AlertMetric.SystemCpu, e.Metric));

        Assert.Equal(
            [
                (MetricsEventIds.AlertRaised, LogLevel.Warning),
                (MetricsEventIds.AlertEscalated, LogLevel.Error),
                (MetricsEventIds.AlertEscalated, LogLevel.Critical),
                (MetricsEventIds.AlertDeEscalated, LogLevel.Information),
                (MetricsEventIds.AlertDeEscalated, LogLevel.Information),
                (MetricsEventIds.AlertResolved, LogLevel.Information),
            ],
            _logger.Entries.Select(e => (e.EventId.Id, e.Level)));
        Assert.StartsWith("Alert raised: SystemCpu is 65 %, at or above the Warning threshold of 60", _logger.Entries.First().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Escalation_KeepsWhenTheAlertWasRaised()
    {
        var evaluator = new AlertEvaluator(new AlertOptions(), _logger);
        var raisedAt = _time.GetUtcNow();
        evaluator.Evaluate(Cpu(61), raisedAt);
        _time.Advance(TimeSpan.FromSeconds(10));

        evaluator.Evaluate(Cpu(81), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(5));
        evaluator.Evaluate(Cpu(82), _time.GetUtcNow());

        var active = Assert.Single(evaluator.Snapshot().Active);
        Assert.Equal(new ActiveAlert(AlertMetric.SystemCpu, AlertLevel.Critical, 82, 80, "%", raisedAt, raisedAt.AddSeconds(10)), active);
    }

    [Fact]
    public void Evaluate_StraightToEmergency_IsOneRaise()
    {
        var evaluator = new AlertEvaluator(new AlertOptions(), _logger);

        var transitions = evaluator.Evaluate(new AlertReadings(null, null, 900, null, null), _time.GetUtcNow());

        var raised = Assert.Single(transitions);
        Assert.Equal((AlertMetric.GatewayMemory, AlertTransition.Raised, AlertLevel.Emergency, 800.0, "MB"), (raised.Metric, raised.Transition, raised.Level, raised.Threshold, raised.Unit));
        Assert.Equal((MetricsEventIds.AlertRaised, LogLevel.Critical), _logger.Entries.Select(e => (e.EventId.Id, e.Level)).Single());
    }

    [Theory]
    [InlineData(AlertMetric.SystemMemory, 70)]
    [InlineData(AlertMetric.SystemCpu, 60)]
    [InlineData(AlertMetric.GatewayMemory, 400)]
    [InlineData(AlertMetric.ActiveSandboxes, 30)]
    [InlineData(AlertMetric.ResponseTime, 1000)]
    public void Evaluate_AtTheSeedsWarningThreshold_RaisesAWarningAndJustBelowDoesNot(AlertMetric metric, int warning)
    {
        var below = new AlertEvaluator(new AlertOptions(), _logger);
        var at = new AlertEvaluator(new AlertOptions(), _logger);

        below.Evaluate(Reading(metric, warning - 1), _time.GetUtcNow());
        at.Evaluate(Reading(metric, warning), _time.GetUtcNow());

        Assert.Empty(below.Snapshot().Active);
        var active = Assert.Single(at.Snapshot().Active);
        Assert.Equal((metric, AlertLevel.Warning), (active.Metric, active.Level));
    }

    [Fact]
    public void Evaluate_UnknownReading_LeavesTheAlertAsItWas()
    {
        var evaluator = new AlertEvaluator(new AlertOptions(), _logger);
        evaluator.Evaluate(new AlertReadings(90, null, null, null, null), _time.GetUtcNow());

        evaluator.Evaluate(new AlertReadings(null, null, null, null, null), _time.GetUtcNow());
        evaluator.Evaluate(new AlertReadings(double.NaN, null, null, null, null), _time.GetUtcNow());
        evaluator.Evaluate(new AlertReadings(double.PositiveInfinity, null, null, null, null), _time.GetUtcNow());

        var snapshot = evaluator.Snapshot();
        var active = Assert.Single(snapshot.Active);
        Assert.Equal((AlertMetric.SystemMemory, AlertLevel.Critical, 90.0), (active.Metric, active.Level, active.Value));
        Assert.Null(snapshot.LastReadings?.SystemMemoryPercent);
        Assert.Single(_logger.Entries);
    }

    [Fact]
    public void Snapshot_SerializedAsJson_NamesLevelsAndMetricsAsStrings()
    {
        var evaluator = new AlertEvaluator(new AlertOptions(), _logger);
        evaluator.Evaluate(new AlertReadings(double.NaN, 85, null, 12, null), _time.GetUtcNow());

        var json = JsonSerializer.Serialize(evaluator.Snapshot());

        Assert.Contains("\"Metric\":\"SystemCpu\",\"Level\":\"Critical\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Transition\":\"Raised\",\"PreviousLevel\":\"None\"", json, StringComparison.Ordinal);
        Assert.Contains("\"SystemMemoryPercent\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoHysteresis_ClearsJustBelowTheThreshold()
    {
        var evaluator = new AlertEvaluator(new AlertOptions { HysteresisPercent = 0 }, _logger);
        evaluator.Evaluate(Cpu(60), _time.GetUtcNow());

        var transitions = evaluator.Evaluate(Cpu(59.9), _time.GetUtcNow());

        Assert.Equal(AlertTransition.Resolved, Assert.Single(transitions).Transition);
    }

    [Fact]
    public void Evaluate_SeveralMetricsAtOnce_KeepsOneAlertEachInMetricOrder()
    {
        var evaluator = new AlertEvaluator(new AlertOptions(), _logger);

        var transitions = evaluator.Evaluate(new AlertReadings(96, 10, 100, 46, 2500), _time.GetUtcNow());

        Assert.Equal(3, transitions.Count);
        Assert.Equal(
            [(AlertMetric.SystemMemory, AlertLevel.Emergency), (AlertMetric.ActiveSandboxes, AlertLevel.Critical), (AlertMetric.ResponseTime, AlertLevel.Critical)],
            evaluator.Snapshot().Active.Select(a => (a.Metric, a.Level)));
    }

    [Fact]
    public void Snapshot_MoreTransitionsThanTheHistoryHolds_KeepsTheNewestFirst()
    {
        var evaluator = new AlertEvaluator(new AlertOptions { HistorySize = 3 }, _logger);
        double[] values = [61, 50, 81, 50, 95];

        foreach (var value in values)
        {
            evaluator.Evaluate(Cpu(value), _time.GetUtcNow());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var snapshot = evaluator.Snapshot();
        Assert.Equal([95.0, 50.0, 81.0], snapshot.History.Select(e => e.Value));
        Assert.True(snapshot.History[0].Timestamp > snapshot.History[1].Timestamp);
        Assert.Equal(5, _logger.Entries.Count);
        Assert.Equal(_time.GetUtcNow().AddSeconds(-1), snapshot.LastEvaluatedAt);
        Assert.Equal(95, snapshot.LastReadings?.SystemCpuPercent);
    }

    [Fact]
    public void Snapshot_BeforeAnyEvaluation_IsEmpty()
    {
        var snapshot = new AlertEvaluator(new AlertOptions { Enabled = false }, _logger).Snapshot();

        Assert.False(snapshot.Enabled);
        Assert.Null(snapshot.LastEvaluatedAt);
        Assert.Null(snapshot.LastReadings);
        Assert.Empty(snapshot.Active);
        Assert.Empty(snapshot.History);
    }

    private static AlertReadings Cpu(double percent) => new(null, percent, null, null, null);

    private static AlertReadings Reading(AlertMetric metric, int value) => metric switch
    {
        AlertMetric.SystemMemory => new AlertReadings(value, null, null, null, null),
        AlertMetric.SystemCpu => new AlertReadings(null, value, null, null, null),
        AlertMetric.GatewayMemory => new AlertReadings(null, null, value, null, null),
        AlertMetric.ActiveSandboxes => new AlertReadings(null, null, null, value, null),
        _ => new AlertReadings(null, null, null, null, value),
    };
}
