using System.Globalization;
using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary><c>capacity</c>: raises the rate of the mix in steps until the overall P99 passes 1000 ms or errors pass 1 %; reports the highest rate that held.</summary>
/// <remarks>
/// Each step is its own open-loop run (a short warm-up, then the measured step) over the same sandbox pool, which is
/// larger than elsewhere (one sandbox per caller, up to 100) so that reads of sandboxes spread over many callers and the
/// per-caller limit of 5 at once does not bind before the gateway does. <see cref="CapacitySearch"/> picks the rates.
/// </remarks>
internal sealed class CapacityScenario : Scenario
{
    public const string ScenarioName = "capacity";

    private static readonly TimeSpan DefaultStep = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan DefaultStepWarmup = TimeSpan.FromSeconds(3);

    public override string Name => ScenarioName;

    public override string Summary => "raises the mix's rate until overall P99 > 1000 ms or errors > 1 %; highest rate that held";

    /// <summary>Many callers: at thousands of ops/s, 100 creates a day each and 5 at once each would bind first.</summary>
    public override int DefaultApiKeys => 1000;

    public override TimeSpan PlannedLength(LoadTestOptions options) => TimeSpan.FromMinutes(10);

    public static TimeSpan StepDuration(LoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.StepDuration ?? options.Scaled(DefaultStep);
    }

    /// <summary>Whether a step held, and why not.</summary>
    public static (bool Held, string? Reason) Holds(SectionReport step, double p99LimitMs, double errorLimit)
    {
        ArgumentNullException.ThrowIfNull(step);
        var reasons = new List<string>();
        if (step.Overall.Count > 0 && step.Overall.LatencyMs.P99 > p99LimitMs)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"P99 {step.Overall.LatencyMs.P99:0} ms > {p99LimitMs:0} ms"));
        }

        if (step.AllOperations.ErrorRate > errorLimit)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"errors {step.AllOperations.ErrorRate * 100:0.##} % > {errorLimit * 100:0.##} %"));
        }

        if (step.AllOperations.Count == 0)
        {
            reasons.Add("nothing measured");
        }

        return (reasons.Count == 0, reasons.Count == 0 ? null : string.Join("; ", reasons));
    }

    public override async Task<ReportDocument> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var keys = options.ApiKeys ?? DefaultApiKeys;
        var workload = SandboxPoolLifecycle.CreateWorkload(context, DefaultApiKeys, Math.Min(keys, 100));
        await SandboxPoolLifecycle.PrimeAsync(context, workload);

        var search = new CapacitySearch(options.Rate ?? SeedTargets.SustainedRate, options.StepFactor, options.MaxRate);
        var warmup = options.Warmup ?? DefaultStepWarmup;
        var stepDuration = StepDuration(options);
        var sections = new List<SectionReport>();
        var steps = new List<CapacityStepReport>();
        var runs = new List<OpenLoopResult>();
        while (search.NextRate is { } rate && !context.Stop.IsCancellationRequested)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"step {runs.Count + 1}");
            await context.Progress.NoteAsync(string.Create(CultureInfo.InvariantCulture, $"{label}: {rate:0.#} ops/s for {Durations.Format(stepDuration)} after {Durations.Format(warmup)} warm-up"));
            var run = await OpenLoopResult.RunAsync(context, workload, ArrivalSchedule.Constant(rate, warmup, stepDuration, label));
            runs.Add(run);
            var section = run.Whole(string.Create(CultureInfo.InvariantCulture, $"{label}: {rate:0.#} ops/s"), context.Memory.Samples);
            var (held, reason) = Holds(section, options.P99LimitMs, options.ErrorLimit);
            if (run.Timeline.Interrupted)
            {
                break;
            }

            search.Report(held);
            steps.Add(new CapacityStepReport(rate, held, reason));
            sections.Add(section with { Passed = held });
            await context.Progress.NoteAsync(string.Create(CultureInfo.InvariantCulture, $"{label}: {(held ? "held" : "did not hold: " + reason)} (overall P99 {section.Overall.LatencyMs.P99:0.0} ms, errors {section.AllOperations.ErrorRate * 100:0.##} %)"));
        }

        await SandboxPoolLifecycle.TeardownAsync(context, workload);
        if (runs.Count == 0)
        {
            throw new OperationCanceledException("Stopped before the first step.");
        }

        var capacity = new CapacityReport(search.HighestHeld, search.LowestFailed, options.P99LimitMs, options.ErrorLimit, steps);
        var bestIndex = search.HighestHeld is { } best ? steps.FindIndex(s => s.Held && s.Rate == best) : sections.Count - 1;
        var headline = bestIndex >= 0 ? sections[bestIndex] : Analysis.Section("none", runs[0].Recorder.Measured(), 0, TimeSpan.Zero, null, null, null);
        var check = new CheckResult(
            "run",
            "capacity",
            string.Create(CultureInfo.InvariantCulture, $"highest rate with overall P99 ≤ {options.P99LimitMs:0} ms and errors ≤ {options.ErrorLimit * 100:0.##} %"),
            search.HighestHeld is { } h ? string.Create(CultureInfo.InvariantCulture, $"{h:0.#} ops/s") : "no step held",
            search.HighestHeld is not null);
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"The run's headline figures (overall, per operation) are those of the highest step that held; every step is listed below. A step whose send lag P99 passes 50 ms was limited by the generator sharing the machine, not only by the gateway."),
        };
        var (from, to) = (runs[0].MeasuredSeconds.From, runs[^1].MeasuredSeconds.To);
        return ScenarioReport.Create(
            context,
            this,
            workload,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Capacity search: the AgentSphere mix open loop in steps of {Durations.Format(stepDuration)} (after {Durations.Format(warmup)} warm-up each), from {options.Rate ?? SeedTargets.SustainedRate:0.#} ops/s up by ×{options.StepFactor:0.##} until the overall P99 passes {options.P99LimitMs:0} ms or errors pass {options.ErrorLimit * 100:0.##} %, then bisecting."),
            "steps " + string.Join(" → ", steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Rate:0.#}/s"))),
            headline.OfferedRate ?? 0,
            warmup,
            runs[0].Timeline,
            runs[^1].Timeline,
            headline,
            sections,
            [check],
            ScenarioReport.Memory(context, from, to),
            notes,
            capacity: capacity,
            maxSendLagMs: runs.Max(r => r.Timeline.MaxSendLag.TotalMilliseconds));
    }
}
