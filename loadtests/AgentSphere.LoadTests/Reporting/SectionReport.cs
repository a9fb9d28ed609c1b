namespace AgentSphere.LoadTests.Reporting;

/// <summary>The figures of one measured stretch: the whole run, a ramp stage, a concurrency part, a capacity step, a part of a stability run.</summary>
/// <param name="Name">E.g. <c>stage 3</c>, <c>lists</c>, <c>step 2</c>.</param>
/// <param name="OfferedRate">Arrivals per second the schedule offered (open loop), or null.</param>
/// <param name="Concurrency">Requests kept in flight (closed loop), or null.</param>
/// <param name="StartSeconds">Start on the scenario's time line, seconds.</param>
/// <param name="DurationSeconds">Measured time.</param>
/// <param name="MeasuredRate">Requests started per second of it.</param>
/// <param name="Throughput">Successful requests per second of it.</param>
/// <param name="Overall">The overall operations together (see <see cref="ReportDocument.OverallOperations"/>).</param>
/// <param name="AllOperations">Every operation together.</param>
/// <param name="Operations">Per operation.</param>
/// <param name="SendLagMs">How late requests went out (open loop only).</param>
/// <param name="PeakMemoryMb">The gateway's largest working set in the stretch, or null when not measured.</param>
/// <param name="Passed">Its checks passed; null when it has none.</param>
internal sealed record SectionReport(
    string Name,
    double? OfferedRate,
    int? Concurrency,
    double StartSeconds,
    double DurationSeconds,
    double MeasuredRate,
    double Throughput,
    OperationReport Overall,
    OperationReport AllOperations,
    IReadOnlyDictionary<string, OperationReport> Operations,
    LatencyReport? SendLagMs,
    double? PeakMemoryMb,
    bool? Passed = null);
