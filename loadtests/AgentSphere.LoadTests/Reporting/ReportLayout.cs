using System.Globalization;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Lays a <see cref="ReportDocument"/> out as blocks: the run, its checks, the tables shaped like the seed report's, notes, charts.</summary>
internal static class ReportLayout
{
    public const string Pass = "✅ pass";
    public const string Fail = "❌ FAIL";
    public const string NotJudged = "— n/a";

    /// <summary>Seed ramp: mean response time per stage (ms).</summary>
    private static readonly double[] RampSeedMeanMs = [200, 300, 450, 600, 950];

    public static string Status(bool? passed) => passed switch
    {
        true => Pass,
        false => Fail,
        null => NotJudged,
    };

    /// <summary>Milliseconds as the tables print them: <c>640.2 ms</c>, or seconds from 10 s up (<c>15.23 s</c>).</summary>
    public static string Ms(double ms) => ms >= 10_000
        ? Invariant($"{ms / 1000:0.00} s")
        : Invariant($"{ms:0.0} ms");

    public static string Percent(double fraction) => Invariant($"{fraction * 100:0.00} %");

    /// <summary>One line for scripts and CI logs: <c>RESULT methods PASS: ...</c>.</summary>
    public static string SummaryLine(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var verdict = document.Interrupted ? "INTERRUPTED" : document.Passed switch { true => "PASS", false => "FAIL", null => "DONE" };
        var line = Invariant($"RESULT {document.Scenario} {verdict}: {document.MeasuredRate:0.#} ops/s for {document.DurationSeconds:0.#} s, overall P99 {Ms(document.Overall.LatencyMs.P99)}, all-op P99 {Ms(document.AllOperations.LatencyMs.P99)}, errors {Percent(document.AllOperations.ErrorRate)} ({document.AllOperations.Errors}/{document.AllOperations.Count})");
        line += document.Memory.Measured ? Invariant($", gateway memory peak {document.Memory.PeakMb:0} MB") : ", memory not measured";
        if (document.Capacity is { } capacity)
        {
            line += capacity.HighestHeldRate is { } held ? Invariant($", capacity {held:0.#} ops/s") : ", no step held";
        }

        var missed = document.Checks.Where(c => c.Passed == false).Select(c => c.Scope == "run" ? c.Name : c.Scope + ": " + c.Name).ToList();
        return missed.Count > 0 ? line + "; missed: " + string.Join("; ", missed) : line;
    }

    public static IReadOnlyList<ReportBlock> Build(ReportDocument document, string? htmlFileName = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var blocks = new List<ReportBlock>
        {
            new HeadingBlock(1, "AgentSphere load test: " + document.Scenario),
            new ParagraphBlock(document.Description),
            new ListBlock(RunFacts(document)),
        };

        if (document.Checks.Count > 0)
        {
            blocks.Add(new HeadingBlock(2, "Targets"));
            blocks.Add(ChecksTable(document));
        }

        switch (document.Scenario)
        {
            case "concurrency":
                blocks.Add(new HeadingBlock(2, "Concurrency (seed table 2)"));
                blocks.Add(ConcurrencyTable(document));
                break;
            case "ramp":
                blocks.Add(new HeadingBlock(2, "Staged ramp (seed throughput test)"));
                blocks.Add(RampTable(document));
                break;
            case "stability":
                blocks.Add(new HeadingBlock(2, "Stability (seed stability test)"));
                blocks.Add(new ListBlock(StabilityFacts(document)));
                blocks.Add(PartsTable(document));
                break;
            case "capacity":
                blocks.Add(new HeadingBlock(2, "Capacity steps"));
                blocks.Add(CapacityTable(document));
                break;
        }

        var methods = document.Scenario == "methods";
        blocks.Add(new HeadingBlock(2, methods ? "API response times (seed table 1)" : "Latency per operation, whole measured period"));
        blocks.Add(new ParagraphBlock("Latency from each request's scheduled start to the end of its response (corrected for coordinated omission; closed-loop parts: from the send). Status: P99 under the seed's P99 target."));
        blocks.Add(OperationsTable(document.Operations, document.Overall, document.AllOperations, document.OverallOperations));
        blocks.Add(new HeadingBlock(3, "Service time from the actual send"));
        blocks.Add(ServiceTable(document));
        blocks.Add(new HeadingBlock(3, "Outcomes"));
        blocks.Add(new ListBlock([.. document.Operations
            .Where(o => o.Value.Count > 0)
            .Select(o => o.Key + ": " + string.Join(", ", o.Value.Outcomes.Select(x => Invariant($"{x.Key} × {x.Value}"))))]));

        if (document.Notes.Count > 0)
        {
            blocks.Add(new HeadingBlock(2, "Notes"));
            blocks.Add(new ListBlock(document.Notes));
        }

        blocks.Add(new HeadingBlock(2, "Charts"));
        blocks.Add(htmlFileName is null
            ? new ChartsBlock()
            : new ParagraphBlock("Latency, rate and memory over time: see " + htmlFileName + "."));
        return blocks;
    }

    /// <summary>The per-operation table: count, errors, cache hits, P50/P95/P99, target, the seed's figures, status.</summary>
    public static TableBlock OperationsTable(
        IReadOnlyDictionary<string, OperationReport> operations,
        OperationReport overall,
        OperationReport all,
        IReadOnlyList<string> overallOperations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(overall);
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(overallOperations);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, r) in operations)
        {
            var seed = SeedTargets.SeedMeasuredMs.TryGetValue(name, out var s) ? $"{Ms(s.P50)} / {Ms(s.P95)} / {Ms(s.P99)}" : "";
            rows.Add(
            [
                name,
                SeedTargets.SeedMethod.GetValueOrDefault(name, ""),
                Count(r.Count),
                Count(r.Errors),
                r.Count > 0 ? Invariant($"{(double)r.CacheHits / r.Count * 100:0} %") : "",
                r.Count > 0 ? Ms(r.LatencyMs.P50) : "",
                r.Count > 0 ? Ms(r.LatencyMs.P95) : "",
                r.Count > 0 ? Ms(r.LatencyMs.P99) : "",
                r.TargetP99Ms is { } t ? "< " + Judge.FormatMs(t) : "",
                seed,
                r.Count > 0 ? Status(r.Pass) : "no samples",
            ]);
        }

        var overallName = operations.Count == overallOperations.Count ? "overall" : "overall (" + string.Join(", ", overallOperations) + ")";
        rows.Add(Total(overallName, overall));
        if (operations.Count != overallOperations.Count)
        {
            rows.Add(Total("all operations", all));
        }

        return new TableBlock(
            ["operation", "seed method", "count", "errors", "cache hits", "P50", "P95", "P99", "target (P99)", "seed P50 / P95 / P99", "status"],
            rows,
            [false, false, true, true, true, true, true, true, true, true, false]);

        static IReadOnlyList<string> Total(string name, OperationReport r) =>
        [
            name, "", Count(r.Count), Count(r.Errors),
            r.Count > 0 ? Invariant($"{(double)r.CacheHits / r.Count * 100:0} %") : "",
            r.Count > 0 ? Ms(r.LatencyMs.P50) : "", r.Count > 0 ? Ms(r.LatencyMs.P95) : "", r.Count > 0 ? Ms(r.LatencyMs.P99) : "",
            "", "", "",
        ];
    }

    private static List<string> RunFacts(ReportDocument d)
    {
        var facts = new List<string>
        {
            "Result: " + d.Passed switch
            {
                true => "PASS: every judged target met",
                false => Invariant($"FAIL: {d.Checks.Count(c => c.Passed == false)} of {d.Checks.Count(c => c.Passed is not null)} judged targets missed"),
                null => "no targets judged",
            } + (d.Interrupted ? " (interrupted)" : ""),
            Invariant($"Target {d.Target}; started {d.StartedAt:yyyy-MM-dd HH:mm:ss} UTC; measured {d.DurationSeconds:0.#} s after {d.WarmupSeconds:0.#} s warm-up; arrivals: {d.Arrivals}"),
            Invariant($"{d.ApiKeys} callers (API keys); seed {d.Seed}; time scale {d.TimeScale:0.###}") + (d.Mix is null ? "" : Invariant($"; mix {d.Mix}; {d.PoolSize} live sandboxes")),
            Invariant($"Measured: {d.AllOperations.Count} requests ({d.MeasuredRate:0.#}/s); overall ({string.Join(", ", d.OverallOperations)}) P50 {Ms(d.Overall.LatencyMs.P50)}, P95 {Ms(d.Overall.LatencyMs.P95)}, P99 {Ms(d.Overall.LatencyMs.P99)}; all operations P99 {Ms(d.AllOperations.LatencyMs.P99)}; error rate {Percent(d.AllOperations.ErrorRate)}"),
        };

        if (d.SendLagMs.P99 > 0 || d.MaxSendLagMs > 0)
        {
            facts.Add(Invariant($"Generator send lag behind schedule: P50 {d.SendLagMs.P50:0.0} ms, P99 {d.SendLagMs.P99:0.0} ms, max {d.MaxSendLagMs:0.0} ms (part of every latency)"));
        }

        facts.Add(d.Memory.Measured
            ? Invariant($"Gateway memory (working set): first {d.Memory.FirstMb:0.#} MB, peak {d.Memory.PeakMb:0.#} MB, last {d.Memory.LastMb:0.#} MB over {d.Memory.Samples} readings") +
              (d.Memory.GrowthMbPerHour is { } g && d.Memory.WindowSeconds >= Judge.MinimumStabilityJudgement.TotalSeconds ? Invariant($"; growth {g:+0.0;-0.0} MB/h") : "")
            : "Gateway memory: not measured (" + d.Memory.Problem + ")");
        if (d.Capacity is { } capacity)
        {
            facts.Add(capacity.HighestHeldRate is { } held
                ? Invariant($"Highest rate that held: {held:0.#} ops/s") + (capacity.LowestFailedRate is { } failed ? Invariant($" (the next, {failed:0.#} ops/s, did not)") : " (the search reached --max-rate)")
                : "No step held.");
        }

        return facts;
    }

    private static TableBlock ChecksTable(ReportDocument d) => new(
        ["scope", "target", "bar", "measured", "status"],
        [.. d.Checks.Select(c => (IReadOnlyList<string>)[c.Scope, c.Name, c.Expected, c.Note is null ? c.Actual : c.Actual + " (" + c.Note + ")", Status(c.Passed)])],
        [false, false, false, false, false]);

    private static TableBlock ConcurrencyTable(ReportDocument d)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var s in d.Sections.Where(s => s.Concurrency is not null))
        {
            var seed = SeedTargets.ConcurrencySeed.TryGetValue(s.Name, out var v) ? Invariant($"{Ms(v.MeanMs)} / 100 % / {v.PeakMb:0} MB") : "";
            var success = s.AllOperations.Count > 0 ? 1 - s.AllOperations.ErrorRate : 0;
            rows.Add(
            [
                s.Name,
                Invariant($"{s.Concurrency}"),
                Count(s.AllOperations.Count),
                Ms(s.AllOperations.LatencyMs.Mean),
                Ms(s.AllOperations.LatencyMs.P50),
                Ms(s.AllOperations.LatencyMs.P99),
                Percent(success),
                s.PeakMemoryMb is { } mb ? Invariant($"{mb:0} MB") : "not measured",
                seed,
                Status(s.Passed),
            ]);
        }

        return new TableBlock(
            ["scenario", "concurrency", "requests", "mean", "P50", "P99", "success rate", "peak gateway memory", "seed mean / success / peak", "status"],
            rows,
            [false, true, true, true, true, true, true, true, true, false]);
    }

    private static TableBlock RampTable(ReportDocument d)
    {
        var rows = new List<IReadOnlyList<string>>();
        var stages = d.Sections.Where(s => s.OfferedRate is not null).ToList();
        for (var i = 0; i < stages.Count; i++)
        {
            var s = stages[i];
            var o = s.Overall;
            rows.Add(
            [
                s.Name,
                Invariant($"{s.StartSeconds:0}–{s.StartSeconds + s.DurationSeconds:0} s"),
                Invariant($"{s.OfferedRate:0.#}"),
                Invariant($"{s.Throughput:0.#}"),
                Ms(o.LatencyMs.Mean),
                Ms(o.LatencyMs.P50),
                Ms(o.LatencyMs.P95),
                Ms(o.LatencyMs.P99),
                Percent(s.AllOperations.ErrorRate),
                s.PeakMemoryMb is { } mb ? Invariant($"{mb:0} MB") : "not measured",
                i < RampSeedMeanMs.Length ? Ms(RampSeedMeanMs[i]) : "",
                Status(s.Passed),
            ]);
        }

        return new TableBlock(
            ["stage", "time", "ops/s offered", "2xx/s", "mean", "P50", "P95", "P99", "error rate", "peak memory", "seed mean", "status"],
            rows,
            [false, true, true, true, true, true, true, true, true, true, true, false]);
    }

    private static List<string> StabilityFacts(ReportDocument d)
    {
        var facts = new List<string>
        {
            Invariant($"Mean response time (overall operations): {Ms(d.Overall.LatencyMs.Mean)}") +
                (d.Drift?.IntervalMeanSpreadMs is { } spread ? Invariant($" (± {spread:0.0} ms across intervals)") : "") + "; seed: 580 ms (± 50 ms)",
            Invariant($"Error rate: {Percent(d.AllOperations.ErrorRate)}; seed: 0.05 % (target < 1 %)"),
            d.Memory.GrowthMbPerHour is { } g
                ? Invariant($"Memory growth: {g:+0.0;-0.0} MB/h over {d.Memory.WindowSeconds / 60:0.#} min; seed: 5 MB/h") +
                  (d.Memory.WindowSeconds < Judge.MinimumStabilityJudgement.TotalSeconds ? " (a slope over so short a window is mostly GC noise; judged from 10 min up)" : "")
                : "Memory growth: not measured (" + (d.Memory.Problem ?? "fewer than two readings") + "); seed: 5 MB/h",
        };
        if (d.Drift is { } drift)
        {
            facts.Add(Invariant($"Latency drift, last {drift.PartFraction * 100:0} % vs first {drift.PartFraction * 100:0} %: mean {drift.MeanMs:+0.0;-0.0} ms, P50 {drift.P50Ms:+0.0;-0.0} ms, P99 {drift.P99Ms:+0.0;-0.0} ms"));
        }

        return facts;
    }

    private static TableBlock PartsTable(ReportDocument d) => new(
        ["part", "requests", "2xx/s", "mean", "P50", "P95", "P99", "error rate", "peak memory"],
        [.. d.Sections.Select(s => (IReadOnlyList<string>)
        [
            s.Name,
            Count(s.AllOperations.Count),
            Invariant($"{s.Throughput:0.#}"),
            Ms(s.Overall.LatencyMs.Mean),
            Ms(s.Overall.LatencyMs.P50),
            Ms(s.Overall.LatencyMs.P95),
            Ms(s.Overall.LatencyMs.P99),
            Percent(s.AllOperations.ErrorRate),
            s.PeakMemoryMb is { } mb ? Invariant($"{mb:0} MB") : "not measured",
        ])],
        [false, true, true, true, true, true, true, true, true]);

    private static TableBlock CapacityTable(ReportDocument d)
    {
        var rows = new List<IReadOnlyList<string>>();
        var steps = d.Capacity?.Steps ?? [];
        for (var i = 0; i < d.Sections.Count; i++)
        {
            var s = d.Sections[i];
            var step = i < steps.Count ? steps[i] : null;
            rows.Add(
            [
                s.Name,
                Invariant($"{s.OfferedRate:0.#}"),
                Invariant($"{s.Throughput:0.#}"),
                Ms(s.Overall.LatencyMs.P50),
                Ms(s.Overall.LatencyMs.P99),
                Percent(s.AllOperations.ErrorRate),
                s.SendLagMs is { } lag ? Invariant($"{lag.P99:0.0} ms") : "",
                s.PeakMemoryMb is { } mb ? Invariant($"{mb:0} MB") : "not measured",
                step is null ? "" : step.Held ? Pass : "❌ " + step.Reason,
            ]);
        }

        return new TableBlock(
            ["step", "ops/s offered", "2xx/s", "overall P50", "overall P99", "error rate", "send lag P99", "peak memory", "held"],
            rows,
            [false, true, true, true, true, true, true, true, false]);
    }

    private static TableBlock ServiceTable(ReportDocument d)
    {
        var rows = d.Operations.Where(o => o.Value.Count > 0)
            .Select(o => (IReadOnlyList<string>)[o.Key, Ms(o.Value.ServiceTimeMs.P50), Ms(o.Value.ServiceTimeMs.P95), Ms(o.Value.ServiceTimeMs.P99), Ms(o.Value.ServiceTimeMs.P999), Ms(o.Value.ServiceTimeMs.Max)])
            .ToList();
        return new TableBlock(["operation", "P50", "P95", "P99", "P99.9", "max"], rows, [false, true, true, true, true, true]);
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
