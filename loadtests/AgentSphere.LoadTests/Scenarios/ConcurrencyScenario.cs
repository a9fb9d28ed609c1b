using System.Globalization;
using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary><c>concurrency</c>: the seed's table 2 as bursts: 10 lists, 5 creates, 20 finds, 15 mixed at once; success rate and peak gateway memory.</summary>
/// <remarks>
/// The parts run one after the other, each as rounds of requests that start together (<see cref="BurstRunner"/>).
/// Lists and finds take a new set of callers each round (round <c>r</c>, request <c>i</c>: caller <c>r·N + i</c>), so
/// each round meets the cache as new callers would. The five creates (one round) fill the sandbox pool; the mixed part
/// then has each sandbox owner send three requests of the mix per round on its own sandboxes (15 at once, 3 per caller,
/// under the gateway's 5 per caller), its churn keeping five sandboxes live.
/// </remarks>
internal sealed class ConcurrencyScenario : Scenario
{
    public const string ScenarioName = "concurrency";

    private static readonly TimeSpan DefaultPartDuration = TimeSpan.FromSeconds(10);

    public override string Name => ScenarioName;

    public override string Summary => "seed table 2 as bursts: 10 lists, 5 creates, 20 finds, 15 mixed at once";

    public override TimeSpan PlannedLength(LoadTestOptions options) => (PartDuration(options) * 3) + TimeSpan.FromSeconds(40);

    public static TimeSpan PartDuration(LoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Duration ?? options.Scaled(DefaultPartDuration);
    }

    /// <summary>The requests of one round of <paramref name="part"/>.</summary>
    public static IReadOnlyList<WorkloadRequest>? Round(ConcurrencyPart part, int round, AgentSphereWorkload workload, int callers)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(workload);
        switch (part.Name)
        {
            case "lists":
                return [.. Enumerable.Range(0, part.Concurrency).Select(i => workload.List(((round * part.Concurrency) + i) % callers))];
            case "finds":
                return [.. Enumerable.Range(0, part.Concurrency).Select(i => workload.Find(((round * part.Concurrency) + i) % callers))];
            case "creates":
                return round == 0 ? [.. Enumerable.Range(0, part.Concurrency).Select(_ => workload.NextCreate())] : null;
            default:
                var owners = workload.Pool.Owners();
                if (owners.Count == 0)
                {
                    owners = [.. Enumerable.Range(0, Math.Min(callers, 5))];
                }

                return [.. Enumerable.Range(0, part.Concurrency).Select(i => workload.NextFor(owners[i % owners.Count]))];
        }
    }

    public override async Task<ReportDocument> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var partDuration = PartDuration(options);
        var parts = ConcurrencyPart.Seed;
        var workload = SandboxPoolLifecycle.CreateWorkload(context, DefaultApiKeys, parts.Single(p => p.Name == "creates").Concurrency);
        var callers = options.ApiKeys ?? DefaultApiKeys;
        var recorder = new Recorder(workload.Operations, parts.Count, workload.OverallOperations, context.Series);
        var runner = new BurstRunner(context.Sender, context.Time, context.Progress);
        var startedAt = context.Time.GetUtcNow();
        var windows = new List<(TimeSpan Start, TimeSpan End, int Rounds)>();
        for (var p = 0; p < parts.Count && !context.Stop.IsCancellationRequested; p++)
        {
            var part = parts[p];
            await context.Memory.SampleAsync();
            var label = string.Create(CultureInfo.InvariantCulture, $"{part.Name} ×{part.Concurrency}");
            windows.Add(await runner.RunAsync(label, r => Round(part, r, workload, callers), workload, part.Timed ? partDuration : null, recorder, p, context.Stop));
            await context.Memory.SampleAsync();
        }

        await SandboxPoolLifecycle.TeardownAsync(context, workload);
        var endedAt = context.Time.GetUtcNow();

        var memorySamples = context.Memory.Samples;
        var sections = new List<SectionReport>();
        var checks = new List<CheckResult>();
        for (var p = 0; p < windows.Count; p++)
        {
            var (start, end, _) = windows[p];
            var section = Analysis.Section(
                parts[p].Name,
                recorder.Measured(p),
                start.TotalSeconds,
                end - start,
                null,
                parts[p].Concurrency,
                Analysis.PeakMb(memorySamples, start.TotalSeconds, end.TotalSeconds));
            var check = Judge.SuccessRate(parts[p].Name, section);
            checks.Add(check);
            sections.Add(section with { Passed = check.Passed });
        }

        var from = windows.Count > 0 ? windows[0].Start : TimeSpan.Zero;
        var to = windows.Count > 0 ? windows[^1].End : TimeSpan.Zero;
        var whole = Analysis.Section("all parts", recorder.Measured(), from.TotalSeconds, to - from, null, null, Analysis.PeakMb(memorySamples, from.TotalSeconds, to.TotalSeconds));
        checks.Add(Judge.OperationTargets("all parts", whole.Operations, []));
        var timeline = new RunTimeline(startedAt, startedAt, endedAt, endedAt, context.Stop.IsCancellationRequested, TimeSpan.Zero, from);
        var rounds = string.Join(", ", windows.Select((w, p) => string.Create(CultureInfo.InvariantCulture, $"{parts[p].Name} {w.Rounds}")));
        return ScenarioReport.Create(
            context,
            this,
            workload,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The seed's concurrency table as bursts: each round starts its requests together ({string.Join(", ", parts.Select(p => $"{p.Concurrency} {p.Name}"))}); lists, finds and mixed repeat rounds for {Durations.Format(partDuration)} with {BurstRunner.Pause.TotalMilliseconds:0} ms between rounds, creates run one round. Every request must succeed. Latency is service time."),
            "bursts: " + string.Join(", ", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Concurrency} {p.Name}"))) + "; rounds: " + rounds,
            0,
            TimeSpan.Zero,
            timeline,
            timeline,
            whole,
            [.. sections, whole],
            checks,
            ScenarioReport.Memory(context, from.TotalSeconds, to.TotalSeconds));
    }
}
