using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>The measured numbers of one operation (or of all of them together).</summary>
/// <param name="Count">Requests scheduled in the measured period.</param>
/// <param name="Errors">Those that did not end with a 2xx response (other statuses, timeouts, transport errors).</param>
/// <param name="ErrorRate">Errors / Count, 0..1.</param>
/// <param name="LatencyMs">From the scheduled start to the end of the response, every outcome included.</param>
/// <param name="ServiceTimeMs">From the actual send to the end of the response.</param>
/// <param name="Outcomes">Requests per status code or failure kind.</param>
internal sealed record OperationReport(
    long Count,
    long Errors,
    double ErrorRate,
    LatencyReport LatencyMs,
    LatencyReport ServiceTimeMs,
    IReadOnlyDictionary<string, long> Outcomes)
{
    public static OperationReport From(OperationRecord record) => new(
        record.Count,
        record.Errors,
        record.Count == 0 ? 0 : (double)record.Errors / record.Count,
        LatencyReport.From(record.Latency),
        LatencyReport.From(record.ServiceTime),
        new Dictionary<string, long>(record.Outcomes, StringComparer.Ordinal));
}
