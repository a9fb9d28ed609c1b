using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Tests.Reporting;

/// <summary>A fixed methods report: every figure chosen by hand, so renderings can be checked line by line.</summary>
internal static class ReportFixture
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static OperationReport Op(long count, long errors, long hits, double p50, double p95, double p99, IReadOnlyDictionary<string, long>? outcomes = null) => new(
        count,
        errors,
        count == 0 ? 0 : (double)errors / count,
        hits,
        new LatencyReport(p50 * 1.1, p50, p95 * 0.98, p95, p99, p99 * 1.05, p99 * 1.1),
        new LatencyReport(p50, p50, p95, p95, p99, p99, p99),
        outcomes ?? new Dictionary<string, long> { ["200"] = count - errors, ["429"] = errors }.Where(o => o.Value > 0).ToDictionary());

    public static ReportDocument Methods(bool withMemory = true)
    {
        var operations = Judge.WithTargets(new Dictionary<string, OperationReport>
        {
            [OperationNames.List] = Op(900, 0, 850, 2.1, 120, 140),
            [OperationNames.Find] = Op(750, 0, 700, 2.2, 180, 199),
            [OperationNames.Connect] = Op(750, 0, 740, 2.0, 3.5, 600),
            [OperationNames.Deploy] = Op(15, 0, 0, 15_000, 17_000, 18_000),
            [OperationNames.Monitor] = Op(300, 1, 250, 2.5, 700, 790),
            [OperationNames.Cleanup] = Op(15, 0, 0, 2800, 3100, 3200),
        });
        var overall = Op(2700, 1, 2540, 2.2, 190, 640);
        var all = Op(2730, 1, 2540, 2.2, 200, 3100);
        var section = new SectionReport("run", 50, null, 20, 54.6, 50, 49.98, overall, all, operations, new LatencyReport(1, 1, 2, 2, 3, 4, 5), 190, null);
        var checks = Judge.Load("run", section, SeedTargets.Sustained, OperationNames.Interactive, OperationNames.All);
        var series = Enumerable.Range(0, 10)
            .Select(i => new SeriesPoint(i * 6, (i + 1) * 6, 300, 299, i == 4 ? 1 : 0, i == 7 ? 0 : 290, 20, 2.2, 190, i == 5 ? 780 : 600))
            .ToList();
        return new ReportDocument
        {
            Scenario = "methods",
            Description = "Fixture: the mix at 50 ops/s.",
            Target = "http://127.0.0.1:19080/",
            Arrivals = "constant 50/s, evenly spaced",
            Rate = 50,
            MeasuredRate = 50,
            DurationSeconds = 54.6,
            WarmupSeconds = 5,
            TimeScale = 1,
            ApiKeys = 100,
            Seed = 1,
            Mix = OperationMix.Default.ToString(),
            PoolSize = 10,
            StartedAt = Start,
            MeasuredFrom = Start.AddSeconds(5),
            ScheduleEndedAt = Start.AddSeconds(60),
            EndedAt = Start.AddSeconds(70),
            Interrupted = false,
            MaxSendLagMs = 7.5,
            SendLagMs = new LatencyReport(1, 1, 2, 2, 3, 4, 5),
            OverallOperations = OperationNames.Interactive,
            Overall = overall,
            AllOperations = all,
            Operations = operations,
            Sections = [section],
            Checks = checks,
            Passed = Judge.Passed(checks),
            Memory = withMemory ? new MemoryReport(true, null, 55, 180, 186, 190, 12.5, 54) : MemoryReport.NotMeasured("no --metrics URL given"),
            Notes = ["A note with <angle> & ampersand."],
            Series = series,
            Phases = [new SeriesPhase("priming", 0, 15, false), new SeriesPhase("warm-up", 15, 20, false), new SeriesPhase("run", 20, 60, true)],
            MemorySeries = withMemory ? [new MemorySample(1, 180 * 1048576.0), new MemorySample(30, 190 * 1048576.0), new MemorySample(59, 186 * 1048576.0)] : [],
        };
    }
}
