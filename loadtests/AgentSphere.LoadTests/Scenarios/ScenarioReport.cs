using System.Globalization;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary>Puts a scenario's figures into a <see cref="ReportDocument"/>, with the parts every scenario shares.</summary>
internal static class ScenarioReport
{
    public static ReportDocument Create(
        ScenarioContext context,
        Scenario scenario,
        Workload workload,
        string description,
        string arrivals,
        double rate,
        TimeSpan warmup,
        RunTimeline firstRun,
        RunTimeline lastRun,
        SectionReport whole,
        IReadOnlyList<SectionReport> sections,
        IReadOnlyList<CheckResult> checks,
        MemoryReport memory,
        IReadOnlyList<string>? notes = null,
        DriftReport? drift = null,
        CapacityReport? capacity = null,
        bool interrupted = false,
        double maxSendLagMs = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(firstRun);
        ArgumentNullException.ThrowIfNull(lastRun);
        ArgumentNullException.ThrowIfNull(whole);
        context.Series.Tick(force: true);
        var allNotes = new List<string>(notes ?? []);
        if (context.Options.CacheBypass)
        {
            allNotes.Add("Every request carried Cache-Control: no-cache (--cache-bypass): the gateway's response cache answered none of them.");
        }

        allNotes.AddRange(WorkloadNotes(workload));
        if (memory.Measured)
        {
            allNotes.Add("Gateway memory is the working set of the gateway process from its /metrics; with --demo the simulated backends run in that process, so it includes them.");
        }

        interrupted |= firstRun.Interrupted || lastRun.Interrupted;
        var judged = interrupted
            ? [.. checks, new CheckResult("run", "completed", "the whole schedule ran", "interrupted by a signal", false)]
            : checks;
        var pool = workload as AgentSphereWorkload;
        return new ReportDocument
        {
            Scenario = scenario.Name,
            Description = description,
            Target = context.Options.Target.ToString(),
            Arrivals = arrivals,
            Rate = rate,
            MeasuredRate = whole.MeasuredRate,
            DurationSeconds = whole.DurationSeconds,
            WarmupSeconds = warmup.TotalSeconds,
            TimeScale = context.Options.TimeScale,
            ApiKeys = context.Options.ApiKeys ?? scenario.DefaultApiKeys,
            Seed = context.Options.Seed,
            Mix = pool?.Mix.ToString(),
            PoolSize = pool?.Pool.Target,
            StartedAt = firstRun.StartedAt,
            MeasuredFrom = firstRun.MeasuredFrom,
            ScheduleEndedAt = lastRun.ScheduleEndedAt,
            EndedAt = lastRun.EndedAt,
            Interrupted = interrupted,
            MaxSendLagMs = Math.Round(Math.Max(maxSendLagMs, Math.Max(firstRun.MaxSendLag.TotalMilliseconds, lastRun.MaxSendLag.TotalMilliseconds)), 3),
            SendLagMs = whole.SendLagMs ?? new LatencyReport(0, 0, 0, 0, 0, 0, 0),
            OverallOperations = workload.OverallOperations,
            Overall = whole.Overall,
            AllOperations = whole.AllOperations,
            Operations = whole.Operations,
            Sections = sections,
            Checks = judged,
            Passed = Judge.Passed(judged),
            Memory = memory,
            Drift = drift,
            Capacity = capacity,
            Notes = allNotes,
            Series = context.Series.Points,
            Phases = context.Series.Phases,
            MemorySeries = context.Memory.Samples,
        };
    }

    /// <summary>The memory figures of the measured window.</summary>
    public static MemoryReport Memory(ScenarioContext context, double fromSeconds, double toSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Memory.Enabled
            ? Analysis.Memory(context.Memory.Samples, fromSeconds, toSeconds, context.Memory.Problem)
            : MemoryReport.NotMeasured(context.Memory.Problem ?? "no --metrics URL given");
    }

    /// <summary>The operations that must have samples for a run to be judged complete: those the mix sends.</summary>
    public static IReadOnlyCollection<string> Required(Workload workload) => workload is AgentSphereWorkload agentSphere
        ? [.. agentSphere.Mix.Weights.Select(w => w.Key)]
        : [.. workload.Operations];

    private static IEnumerable<string> WorkloadNotes(Workload workload)
    {
        if (workload is not AgentSphereWorkload agentSphere)
        {
            yield break;
        }

        yield return Invariant(
            $"Overall figures cover {string.Join(", ", OperationNames.Interactive)}. Deploy (seed P50 15 s) and cleanup (2.8 s) are judged against their own targets (30 s, 5 s): the seed's \"P99 < 800 ms overall\" cannot include them, since its deploy P50 alone is 15 s. The \"all operations\" row is shown for reference.");
        yield return Invariant(
            $"Workload: {agentSphere.Mix} (weights; deploy and cleanup form one churn share that keeps {agentSphere.Pool.Target} sandboxes live); each create is POST /sandboxes {{\"templateID\":\"base\",\"timeout\":{AgentSphereWorkload.SandboxTimeoutSeconds},\"metadata\":{{\"userId\":...}}}}.");
        if (agentSphere.Substitutions > 0)
        {
            yield return Invariant($"{agentSphere.Substitutions} connect/monitor/cleanup arrivals found no live sandbox and were sent as a list of the same caller instead (counted as list).");
        }

        if (agentSphere.Pool.Expired > 0)
        {
            yield return Invariant($"{agentSphere.Pool.Expired} sandboxes reached {SandboxPoolLifecycle.UsableFor.TotalSeconds:0} s without being deleted and were dropped from the pool (they expire at the backend).");
        }

        yield return "Cache hits: the gateway's response cache answers a caller's repeated reads (lists and finds for 300 s, a sandbox for 300 s, its metrics for 5 s) until that caller writes; the hit column counts responses with X-Cache: HIT.";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
