namespace AgentSphere.Policies.Metrics;

/// <summary>One operation's (or all operations') latency and error figures over the metrics window.</summary>
/// <remarks>Percentiles are nearest-rank, read from log-linear buckets: within 0.8 % of the exact value (0.5 µs below 128 µs), saturating at 120 s. Average and maximum are exact. Every latency figure is 0 when <see cref="Requests"/> is 0.</remarks>
/// <param name="Operation">The operation's configuration name (<c>list</c>, <c>deploy</c>, ...), or <c>all</c>.</param>
/// <param name="Requests">Requests completed in the window.</param>
/// <param name="Errors">Of those, the ones that failed: status 500 or above, or no response from the backend.</param>
/// <param name="RequestsPerSecond">Requests over the seconds the window covers.</param>
/// <param name="ErrorRatePercent">Errors per 100 requests; 0 when there were none.</param>
/// <param name="AverageMilliseconds">The mean latency.</param>
/// <param name="P50Milliseconds">The median latency.</param>
/// <param name="P95Milliseconds">The 95th percentile latency.</param>
/// <param name="P99Milliseconds">The 99th percentile latency.</param>
/// <param name="MaxMilliseconds">The largest latency.</param>
public sealed record OperationLatencyStatistics(
    string Operation,
    long Requests,
    long Errors,
    double RequestsPerSecond,
    double ErrorRatePercent,
    double AverageMilliseconds,
    double P50Milliseconds,
    double P95Milliseconds,
    double P99Milliseconds,
    double MaxMilliseconds);
