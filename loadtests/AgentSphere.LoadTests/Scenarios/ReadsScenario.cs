using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary><c>reads</c>: the stateless read mix at a constant rate, with no targets (the load-balancing and status benchmarks use it).</summary>
internal sealed class ReadsScenario : Scenario
{
    public const string ScenarioName = "reads";

    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(30);

    public override string Name => ScenarioName;

    public override string Summary => "50 % list, 50 % find of one of 20 users, constant rate; no targets";

    public override int DefaultApiKeys => 20;

    public override TimeSpan PlannedLength(LoadTestOptions options) =>
        (options.Warmup ?? TimeSpan.FromSeconds(5)) + (options.Duration ?? DefaultDuration);

    public override async Task<ReportDocument> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var rate = options.Rate ?? SeedTargets.SustainedRate;
        var warmup = options.Warmup ?? TimeSpan.FromSeconds(5);
        var workload = new ReadsWorkload(new Random(options.Seed), new CallerSet(options.ApiKeys ?? DefaultApiKeys));
        var schedule = ArrivalSchedule.Constant(rate, warmup, options.Duration ?? DefaultDuration);
        var run = await OpenLoopResult.RunAsync(context, workload, schedule);
        var whole = run.Whole("run", context.Memory.Samples);
        var (from, to) = run.MeasuredSeconds;
        return ScenarioReport.Create(
            context,
            this,
            workload,
            "Stateless reads at a constant rate: half GET /sandboxes, half GET /sandboxes?metadata=userId%3Du<k> for one of 20 users. No targets.",
            schedule.Description,
            rate,
            warmup,
            run.Timeline,
            run.Timeline,
            whole,
            [whole],
            [],
            ScenarioReport.Memory(context, from, to));
    }
}
