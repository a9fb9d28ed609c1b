using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Metrics;

/// <summary>Turns readings into the alert in force per metric, logging each transition once and keeping the latest ones, newest first.</summary>
/// <remarks>
/// A metric's new level is the highest level L for which either the value is at or above L's threshold, or L is at or below the
/// current level and the value is at or above L's threshold × (1 − <see cref="AlertOptions.HysteresisPercent"/> / 100). So a level
/// is reached at its threshold but only left a margin below it: with the defaults, CPU raises a critical alert at 80 %, keeps it
/// down to 76 %, and drops to warning (or clears, below 57 %) underneath. A reading that is unknown (null, or not a finite number)
/// changes nothing. Evaluations are serialized by a lock; they run every few seconds, never on the request path.
/// </remarks>
internal sealed partial class AlertEvaluator : IAlertEvaluator
{
    private static readonly AlertLevel[] Descending = [AlertLevel.Emergency, AlertLevel.Critical, AlertLevel.Warning];

    private readonly AlertOptions _options;
    private readonly double _holdFactor;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ActiveAlert?[] _active = new ActiveAlert?[AlertMetrics.All.Count];
    private readonly AlertHistoryEntry[] _history;
    private int _historyCount;
    private int _historyNext;
    private DateTimeOffset? _lastEvaluatedAt;
    private AlertReadings? _lastReadings;

    public AlertEvaluator(IOptions<AlertOptions> options, ILogger<AlertEvaluator> logger)
        : this(options.Value, logger)
    {
    }

    internal AlertEvaluator(AlertOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistorySize, 1);
        _options = options;
        _holdFactor = 1 - (options.HysteresisPercent / 100);
        _logger = logger;
        _history = new AlertHistoryEntry[options.HistorySize];
    }

    public IReadOnlyList<AlertHistoryEntry> Evaluate(AlertReadings readings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(readings);
        List<AlertHistoryEntry>? transitions = null;
        lock (_lock)
        {
            _lastEvaluatedAt = now;
            _lastReadings = Known(readings);
            foreach (var metric in AlertMetrics.All)
            {
                if (_lastReadings.Get(metric) is { } value && Evaluate(metric, value, now) is { } transition)
                {
                    (transitions ??= []).Add(transition);
                }
            }
        }

        return transitions ?? (IReadOnlyList<AlertHistoryEntry>)[];
    }

    public AlertsSnapshot Snapshot()
    {
        lock (_lock)
        {
            var history = new AlertHistoryEntry[_historyCount];
            for (var i = 0; i < _historyCount; i++)
            {
                history[i] = _history[(_historyNext - 1 - i + _history.Length) % _history.Length];
            }

            return new AlertsSnapshot(_options.Enabled, _lastEvaluatedAt, _lastReadings, _active.OfType<ActiveAlert>().ToArray(), history);
        }
    }

    /// <summary>The readings with every value that is not a finite number made unknown, so a bad reading changes nothing and the snapshot stays serializable.</summary>
    private static AlertReadings Known(AlertReadings readings) => new(
        Finite(readings.SystemMemoryPercent),
        Finite(readings.SystemCpuPercent),
        Finite(readings.GatewayMemoryMegabytes),
        readings.ActiveSandboxes,
        Finite(readings.ResponseTimeP95Milliseconds));

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private AlertHistoryEntry? Evaluate(AlertMetric metric, double value, DateTimeOffset now)
    {
        var thresholds = _options.GetThresholds(metric);
        var active = _active[(int)metric];
        var current = active?.Level ?? AlertLevel.None;
        var next = AlertLevel.None;
        foreach (var level in Descending)
        {
            var threshold = thresholds.For(level);
            if (value >= threshold || (level <= current && value >= threshold * _holdFactor))
            {
                next = level;
                break;
            }
        }

        var unit = metric.GetUnit();
        if (next == current)
        {
            if (active is not null)
            {
                _active[(int)metric] = active with { Value = value };
            }

            return null;
        }

        var transition = current == AlertLevel.None ? AlertTransition.Raised
            : next == AlertLevel.None ? AlertTransition.Resolved
            : next > current ? AlertTransition.Escalated
            : AlertTransition.DeEscalated;
        var crossed = thresholds.For(next > current ? next : current);
        var entry = new AlertHistoryEntry(now, metric, transition, current, next, value, crossed, unit);
        _active[(int)metric] = next == AlertLevel.None
            ? null
            : new ActiveAlert(metric, next, value, thresholds.For(next), unit, active?.RaisedAt ?? now, now);

        _history[_historyNext] = entry;
        _historyNext = (_historyNext + 1) % _history.Length;
        _historyCount = Math.Min(_historyCount + 1, _history.Length);
        Log(entry);
        return entry;
    }

    private void Log(AlertHistoryEntry entry)
    {
        switch (entry.Transition)
        {
            case AlertTransition.Raised:
                LogRaised(_logger, Severity(entry.Level), entry.Metric, entry.Level, entry.Value, entry.Unit, entry.Threshold);
                break;
            case AlertTransition.Escalated:
                LogEscalated(_logger, Severity(entry.Level), entry.Metric, entry.PreviousLevel, entry.Level, entry.Value, entry.Unit, entry.Threshold);
                break;
            case AlertTransition.DeEscalated:
                LogDeEscalated(_logger, entry.Metric, entry.PreviousLevel, entry.Level, entry.Value, entry.Unit, entry.Threshold * _holdFactor);
                break;
            default:
                LogResolved(_logger, entry.Metric, entry.PreviousLevel, entry.Value, entry.Unit, entry.Threshold * _holdFactor);
                break;
        }
    }

    private static LogLevel Severity(AlertLevel level) => level switch
    {
        AlertLevel.Emergency => LogLevel.Critical,
        AlertLevel.Critical => LogLevel.Error,
        _ => LogLevel.Warning,
    };
}
