using System.Globalization;
using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary><c>stability</c>: 50 ops/s of the mix for a long time; error rate, latency drift (first vs last part) and memory growth per hour.</summary>
/// <remarks>
/// The measured period is split into three stages at the same rate, the first and last fifth and the middle, so the
/// first and last parts have their own exact percentiles. Memory growth is the least-squares slope of the gateway's
/// working set over the whole measured period.
/// </remarks>
internal sealed class StabilityScenario : Scenario
{
    public const string ScenarioName = "stability";

    /// <summary>Share of the measured period in the first and in the last part.</summary>
    public const double PartFraction = 0.2;

    public override string Name => ScenarioName;

    public override string Summary => "50 ops/s for --duration (seed: 2 h); error rate, latency drift, memory growth per hour";

    public override TimeSpan PlannedLength(LoadTestOptions options) =>
        TimeSpan.FromSeconds(20) + (options.Warmup ?? TimeSpan.FromSeconds(5)) + Duration(options);

    /// <summary>The measured period: <c>--duration</c>, else the seed's 2 h times the time scale.</summary>
    public static TimeSpan Duration(LoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Duration ?? options.Scaled(SeedTargets.StabilityDuration);
    }

    /// <summary>Warm-up, then the first fifth, the middle and the last fifth at the same rate.</summary>
    public static ArrivalSchedule Schedule(double rate, TimeSpan warmup, TimeSpan duration)
    {
        var part = duration * PartFraction;
        var stages = new List<RateStage>();
        if (warmup > TimeSpan.Zero)
        {
            stages.Add(new RateStage("warm-up", rate, warmup, Measured: false));
        }

        stages.Add(new RateStage("first part", rate, part));
        stages.Add(new RateStage("middle", rate, duration - part - part));
        stages.Add(new RateStage("last part", rate, part));
        return new ArrivalSchedule(stages);
    }

    public override async Task<ReportDocument> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var rate = options.Rate ?? SeedTargets.SustainedRate;
        var warmup = options.Warmup ?? TimeSpan.FromSeconds(5);
        var duration = Duration(options);
        var workload = SandboxPoolLifecycle.CreateWorkload(context, DefaultApiKeys, MethodsScenario.DefaultPool);
        await SandboxPoolLifecycle.PrimeAsync(context, workload);
        var schedule = Schedule(rate, warmup, duration);
        var run = await OpenLoopResult.RunAsync(context, workload, schedule);
        await SandboxPoolLifecycle.TeardownAsync(context, workload);

        var memorySamples = context.Memory.Samples;
        var firstStage = warmup > TimeSpan.Zero ? 1 : 0;
        var first = run.Stage(firstStage, "first part", memorySamples);
        var middle = run.Stage(firstStage + 1, "middle", memorySamples);
        var last = run.Stage(firstStage + 2, "last part", memorySamples);
        var whole = run.Whole("run", memorySamples);
        var (from, to) = run.MeasuredSeconds;
        var memory = ScenarioReport.Memory(context, from, to);
        var drift = Analysis.Drift(first, last, PartFraction, context.Series.Points, from, to);
        var level = rate > SeedTargets.SustainedRate ? SeedTargets.ShortTerm : SeedTargets.Sustained;
        var checks = new List<CheckResult>(Judge.Load("run", whole, level, workload.OverallOperations, ScenarioReport.Required(workload)))
        {
            Judge.MemoryGrowth(memory, run.MeasuredDuration),
            Judge.Drift(drift, run.MeasuredDuration),
        };
        return ScenarioReport.Create(
            context,
            this,
            workload,
            string.Create(CultureInfo.InvariantCulture, $"The seed's stability run: the AgentSphere mix open loop at {rate:0.#} ops/s for {Durations.Format(duration)} (seed: 2 h at 50 ops/s, 0.05 % errors, 5 MB/h memory growth, mean 580 ms ± 50 ms)."),
            schedule.Description,
            rate,
            warmup,
            run.Timeline,
            run.Timeline,
            whole with { Passed = Judge.Passed(checks) },
            [whole, first, middle, last],
            checks,
            memory,
            drift: drift);
    }
}
