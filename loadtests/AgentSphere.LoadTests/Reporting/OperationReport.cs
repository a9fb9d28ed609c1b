using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>The measured numbers of one operation (or of several together).</summary>
/// <param name="Count">Requests scheduled in the measured period.</param>
/// <param name="Errors">Those that did not end with a 2xx response (other statuses, timeouts, transport errors).</param>
/// <param name="ErrorRate">Errors / Count, 0..1.</param>
/// <param name="CacheHits">Responses the gateway served from its cache (<c>X-Cache: HIT</c>).</param>
/// <param name="LatencyMs">From the scheduled start to the end of the response, every outcome included.</param>
/// <param name="ServiceTimeMs">From the actual send to the end of the response.</param>
/// <param name="Outcomes">Requests per status code or failure kind.</param>
/// <param name="TargetP99Ms">The seed's P99 target, when the operation has one.</param>
/// <param name="Pass">P99 under the target; null when not judged.</param>
internal sealed record OperationReport(
    long Count,
    long Errors,
    double ErrorRate,
    long CacheHits,
    LatencyReport LatencyMs,
    LatencyReport ServiceTimeMs,
    IReadOnlyDictionary<string, long> Outcomes,
    double? TargetP99Ms = null,
    bool? Pass = null)
{
    public static OperationReport From(OperationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.Count,
            record.Errors,
            record.Count == 0 ? 0 : (double)record.Errors / record.Count,
            record.CacheHits,
            LatencyReport.From(record.Latency),
            LatencyReport.From(record.ServiceTime),
            new SortedDictionary<string, long>(record.Outcomes, StringComparer.Ordinal));
    }
}
