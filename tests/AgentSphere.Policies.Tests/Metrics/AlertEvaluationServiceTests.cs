using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class AlertEvaluationServiceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedAlertReadingsSource _source = new();
    private readonly CollectingLogger<AlertEvaluationService> _logger = new();

    [Fact]
    public async Task StartAsync_EveryInterval_EvaluatesTheSourcesReadings()
    {
        var options = new AlertOptions();
        var evaluator = new AlertEvaluator(options, new CollectingLogger<AlertEvaluator>());
        using var service = Create(options, evaluator);
        _source.Readings = new AlertReadings(null, 85, null, null, null);
        await service.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, _source.Reads);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _source.Reads);
        Assert.Equal(AlertLevel.Critical, Assert.Single(evaluator.Snapshot().Active).Level);

        _source.Readings = new AlertReadings(null, 10, null, null, null);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, _source.Reads);
        var snapshot = evaluator.Snapshot();
        Assert.Empty(snapshot.Active);
        Assert.Equal(_time.GetUtcNow(), snapshot.LastEvaluatedAt);

        await service.StopAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, _source.Reads);
    }

    [Fact]
    public async Task StartAsync_Disabled_NeverReadsAndSaysSo()
    {
        var options = new AlertOptions { Enabled = false };
        using var service = Create(options, new AlertEvaluator(options, new CollectingLogger<AlertEvaluator>()));

        await service.StartAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, _source.Reads);
        Assert.Equal(MetricsEventIds.AlertsDisabled, Assert.Single(_logger.Entries).EventId.Id);
    }

    [Fact]
    public async Task Tick_SourceThrows_LogsAnErrorAndTriesAgainNextInterval()
    {
        var options = new AlertOptions();
        var evaluator = new AlertEvaluator(options, new CollectingLogger<AlertEvaluator>());
        using var service = Create(options, evaluator);
        _source.Failure = new InvalidOperationException("no /proc");
        await service.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(5));
        _source.Failure = null;
        _source.Readings = new AlertReadings(null, null, null, 31, null);
        _time.Advance(TimeSpan.FromSeconds(5));

        var error = Assert.Single(_logger.Entries);
        Assert.Equal((MetricsEventIds.AlertEvaluationFailed, LogLevel.Error), (error.EventId.Id, error.Level));
        Assert.Contains("no /proc", error.Text, StringComparison.Ordinal);
        Assert.Equal(AlertMetric.ActiveSandboxes, Assert.Single(evaluator.Snapshot().Active).Metric);
    }

    [Fact]
    public async Task Tick_PreviousReadStillRunning_IsSkipped()
    {
        var options = new AlertOptions();
        var evaluator = new AlertEvaluator(options, new CollectingLogger<AlertEvaluator>());
        using var service = Create(options, evaluator);
        _source.Pending = new TaskCompletionSource<AlertReadings>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _source.Pending;
        await service.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(1, _source.Reads);

        _source.Pending = null;
        pending.SetResult(new AlertReadings(null, 95, null, null, null));
        await service.StopAsync(CancellationToken.None); // waits for the evaluation in progress

        Assert.Equal(AlertLevel.Emergency, Assert.Single(evaluator.Snapshot().Active).Level);
    }

    private AlertEvaluationService Create(AlertOptions options, IAlertEvaluator evaluator) =>
        new(_source, evaluator, Options.Create(options), _time, _logger);
}
