namespace AgentSphere.LoadTests.Recording;

/// <summary>One interval of a <see cref="TimeSeries"/>.</summary>
/// <param name="StartSeconds">Interval start, seconds from the start of the scenario.</param>
/// <param name="EndSeconds">Interval end.</param>
/// <param name="Sent">Requests sent in the interval.</param>
/// <param name="Completed">Requests completed in the interval.</param>
/// <param name="Errors">Completed requests that were not 2xx.</param>
/// <param name="LatencyCount">Completed requests of the overall operations, whose latencies give the percentiles.</param>
/// <param name="MeanMs">Mean latency of those, ms (0 when there were none).</param>
/// <param name="P50Ms">Median latency of those, ms (0 when there were none).</param>
/// <param name="P95Ms">95th percentile, ms.</param>
/// <param name="P99Ms">99th percentile, ms.</param>
internal sealed record SeriesPoint(
    double StartSeconds,
    double EndSeconds,
    long Sent,
    long Completed,
    long Errors,
    long LatencyCount,
    double MeanMs,
    double P50Ms,
    double P95Ms,
    double P99Ms);
