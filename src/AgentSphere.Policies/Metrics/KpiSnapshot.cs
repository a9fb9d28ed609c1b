namespace AgentSphere.Policies.Metrics;

/// <summary>The gateway's KPIs at one moment, over the metrics window (<see cref="MetricsOptions.Window"/>), for the dashboard and the admin API.</summary>
/// <remarks>Latency figures are those of <see cref="OperationLatencyStatistics"/> for all operations together (0 when the window has no requests).</remarks>
/// <param name="Timestamp">When the snapshot was taken.</param>
/// <param name="StartedAt">When the gateway started counting.</param>
/// <param name="UptimeSeconds">Seconds since <paramref name="StartedAt"/>.</param>
/// <param name="WindowSeconds">The configured window.</param>
/// <param name="CoveredSeconds">The seconds the rates are over: the window plus the part of the current second gone (less than a second more), or the uptime when shorter; never below 1.</param>
/// <param name="Requests">Requests completed in the window.</param>
/// <param name="Errors">Of those, the ones with status 500 or above or no response.</param>
/// <param name="RequestsPerSecond">Requests ÷ covered seconds.</param>
/// <param name="OperationsPerMinute">Requests per second × 60.</param>
/// <param name="AverageMilliseconds">The mean response time.</param>
/// <param name="P50Milliseconds">The median response time.</param>
/// <param name="P95Milliseconds">The 95th percentile response time (the one the response-time alert watches).</param>
/// <param name="P99Milliseconds">The 99th percentile response time.</param>
/// <param name="MaxMilliseconds">The slowest response.</param>
/// <param name="ErrorRatePercent">Errors per 100 requests; 0 when there were none.</param>
/// <param name="SuccessRatePercent">100 − <paramref name="ErrorRatePercent"/>; 100 when there were no requests.</param>
/// <param name="ConcurrentCallers">Distinct callers with at least one request in service now.</param>
/// <param name="RequestsInService">Requests in service now, anonymous ones included.</param>
/// <param name="Operations">Each operation with requests in the window, in enum order.</param>
public sealed record KpiSnapshot(
    DateTimeOffset Timestamp,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    double WindowSeconds,
    double CoveredSeconds,
    long Requests,
    long Errors,
    double RequestsPerSecond,
    double OperationsPerMinute,
    double AverageMilliseconds,
    double P50Milliseconds,
    double P95Milliseconds,
    double P99Milliseconds,
    double MaxMilliseconds,
    double ErrorRatePercent,
    double SuccessRatePercent,
    int ConcurrentCallers,
    int RequestsInService,
    IReadOnlyList<OperationLatencyStatistics> Operations);
