using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Metrics;

/// <summary>Evaluates alerts every <see cref="AlertOptions.EvaluationInterval"/> on a <see cref="TimeProvider"/> timer, from the host's <see cref="IAlertReadingsSource"/>.</summary>
/// <remarks>A tick that comes while the previous evaluation is still reading is skipped, so slow readings never pile up.</remarks>
internal sealed partial class AlertEvaluationService : IHostedService, IDisposable
{
    private readonly IAlertReadingsSource _source;
    private readonly IAlertEvaluator _evaluator;
    private readonly AlertOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private Task _current = Task.CompletedTask;
    private int _running;

    public AlertEvaluationService(
        IAlertReadingsSource source,
        IAlertEvaluator evaluator,
        IOptions<AlertOptions> options,
        TimeProvider timeProvider,
        ILogger<AlertEvaluationService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _evaluator = evaluator;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            return Task.CompletedTask;
        }

        var interval = _options.EvaluationInterval;
        _timer = _timeProvider.CreateTimer(static state => ((AlertEvaluationService)state!).Tick(), this, interval, interval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        await _stopping.CancelAsync();
        await _current.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }

    private void Tick()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        _current = EvaluateAsync(_stopping.Token);
    }

    private async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var readings = await _source.ReadAsync(cancellationToken);
            _evaluator.Evaluate(readings, _timeProvider.GetUtcNow());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEvaluationFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    [LoggerMessage(EventId = MetricsEventIds.AlertEvaluationFailed, Level = LogLevel.Error,
        Message = "Reading or evaluating the alert metrics failed; trying again at the next interval")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = MetricsEventIds.AlertsDisabled, Level = LogLevel.Information,
        Message = "Alerts are disabled (Alerts:Enabled is false)")]
    private static partial void LogDisabled(ILogger logger);
}
