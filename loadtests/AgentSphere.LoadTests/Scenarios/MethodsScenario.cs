using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary><c>methods</c>: the seed's table 1, P50/P95/P99 per operation against its target, at 50 ops/s of the mix.</summary>
internal sealed class MethodsScenario : Scenario
{
    public const string ScenarioName = "methods";

    /// <summary>Live sandboxes by default: one round of priming creates (<see cref="SandboxPoolLifecycle.MaxPrimingInFlight"/>).</summary>
    public const int DefaultPool = SandboxPoolLifecycle.MaxPrimingInFlight;

    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    public override string Name => ScenarioName;

    public override string Summary => "seed table 1: P50/P95/P99 per operation vs its target, mix at 50 ops/s";

    public override TimeSpan PlannedLength(LoadTestOptions options) =>
        TimeSpan.FromSeconds(20) + (options.Warmup ?? TimeSpan.FromSeconds(5)) + (options.Duration ?? DefaultDuration);

    public override async Task<ReportDocument> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var rate = options.Rate ?? SeedTargets.SustainedRate;
        var warmup = options.Warmup ?? TimeSpan.FromSeconds(5);
        var workload = SandboxPoolLifecycle.CreateWorkload(context, DefaultApiKeys, DefaultPool);
        await SandboxPoolLifecycle.PrimeAsync(context, workload);
        var schedule = ArrivalSchedule.Constant(rate, warmup, options.Duration ?? DefaultDuration);
        var run = await OpenLoopResult.RunAsync(context, workload, schedule);
        await SandboxPoolLifecycle.TeardownAsync(context, workload);

        var whole = run.Whole("run", context.Memory.Samples);
        var level = rate > SeedTargets.SustainedRate ? SeedTargets.ShortTerm : SeedTargets.Sustained;
        var checks = Judge.Load("run", whole, level, workload.OverallOperations, ScenarioReport.Required(workload));
        var (from, to) = run.MeasuredSeconds;
        return ScenarioReport.Create(
            context,
            this,
            workload,
            $"The seed's API response-time table: the AgentSphere mix open loop at {rate:0.#} ops/s; every operation's P99 against its target, judged at the {level.Name} bar.",
            schedule.Description,
            rate,
            warmup,
            run.Timeline,
            run.Timeline,
            whole with { Passed = Judge.Passed(checks) },
            [whole with { Passed = Judge.Passed(checks) }],
            checks,
            ScenarioReport.Memory(context, from, to));
    }
}
