namespace AgentSphere.LoadTests.Reporting;

/// <summary>The machine-readable summary of one run, as written by <c>--report</c>.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Target">Base URL the requests went to.</param>
/// <param name="Arrivals">The arrival schedule, e.g. <c>constant 84/s, evenly spaced</c>.</param>
/// <param name="Rate">Requested rate, requests per second.</param>
/// <param name="MeasuredRate">Requests scheduled in the measured period per second of it.</param>
/// <param name="DurationSeconds">Measured period actually run (shorter than requested when interrupted).</param>
/// <param name="WarmupSeconds">Warm-up before it, excluded from every figure.</param>
/// <param name="ApiKeys">Distinct API keys used round-robin.</param>
/// <param name="Seed">Seed of the scenario's random choices.</param>
/// <param name="StartedAt">First arrival.</param>
/// <param name="MeasuredFrom">Start of the measured period.</param>
/// <param name="ScheduleEndedAt">Last arrival sent.</param>
/// <param name="EndedAt">Last response received.</param>
/// <param name="Interrupted">Stopped by a signal before the schedule ended.</param>
/// <param name="MaxSendLagMs">Largest delay between an arrival's due time and its send over the whole run, warm-up included.</param>
/// <param name="SendLagMs">The same delay in the measured period: the generator's own lateness, already part of every latency.</param>
/// <param name="Overall">All operations together.</param>
/// <param name="Operations">Per operation, in the scenario's order.</param>
internal sealed record ReportDocument(
    string Scenario,
    string Target,
    string Arrivals,
    double Rate,
    double MeasuredRate,
    double DurationSeconds,
    double WarmupSeconds,
    int ApiKeys,
    int Seed,
    DateTimeOffset StartedAt,
    DateTimeOffset MeasuredFrom,
    DateTimeOffset ScheduleEndedAt,
    DateTimeOffset EndedAt,
    bool Interrupted,
    double MaxSendLagMs,
    LatencyReport SendLagMs,
    OperationReport Overall,
    IReadOnlyDictionary<string, OperationReport> Operations);
