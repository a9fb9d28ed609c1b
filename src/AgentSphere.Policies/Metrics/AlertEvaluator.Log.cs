using Microsoft.Extensions.Logging;

namespace AgentSphere.Policies.Metrics;

/// <summary>The log messages of <see cref="AlertEvaluator"/>: one per alert transition, logged at warning, error or critical by the level reached.</summary>
internal sealed partial class AlertEvaluator
{
    [LoggerMessage(EventId = MetricsEventIds.AlertRaised,
        Message = "Alert raised: {Metric} is {Value} {Unit}, at or above the {Level} threshold of {Threshold}")]
    private static partial void LogRaised(ILogger logger, LogLevel logLevel, AlertMetric metric, AlertLevel level, double value, string unit, double threshold);

    [LoggerMessage(EventId = MetricsEventIds.AlertEscalated,
        Message = "Alert escalated: {Metric} went from {PreviousLevel} to {Level} at {Value} {Unit}, at or above the threshold of {Threshold}")]
    private static partial void LogEscalated(ILogger logger, LogLevel logLevel, AlertMetric metric, AlertLevel previousLevel, AlertLevel level, double value, string unit, double threshold);

    [LoggerMessage(EventId = MetricsEventIds.AlertDeEscalated, Level = LogLevel.Information,
        Message = "Alert de-escalated: {Metric} went from {PreviousLevel} to {Level} at {Value} {Unit}, below {ClearBelow}")]
    private static partial void LogDeEscalated(ILogger logger, AlertMetric metric, AlertLevel previousLevel, AlertLevel level, double value, string unit, double clearBelow);

    [LoggerMessage(EventId = MetricsEventIds.AlertResolved, Level = LogLevel.Information,
        Message = "Alert resolved: {Metric} ({PreviousLevel}) is back to {Value} {Unit}, below {ClearBelow}")]
    private static partial void LogResolved(ILogger logger, AlertMetric metric, AlertLevel previousLevel, double value, string unit, double clearBelow);
}
