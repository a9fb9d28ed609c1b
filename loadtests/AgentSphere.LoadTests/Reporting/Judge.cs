using System.Globalization;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Judges measured figures against the seed's targets.</summary>
internal static class Judge
{
    /// <summary>A step of at least this share of the offered rate answered 2xx per second counts as having held the rate.</summary>
    public const double ThroughputShare = 0.99;

    /// <summary>Runs at least this long are judged on memory growth and latency drift; shorter ones only report them.</summary>
    public static readonly TimeSpan MinimumStabilityJudgement = TimeSpan.FromMinutes(10);

    /// <summary>The seed's mean response time spread in its stability run: 580 ms ± 50 ms.</summary>
    public const double DriftToleranceMs = 50;

    /// <summary>Sets each operation's P99 target and whether it was met (null without samples or without a target).</summary>
    public static IReadOnlyDictionary<string, OperationReport> WithTargets(IReadOnlyDictionary<string, OperationReport> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var judged = new Dictionary<string, OperationReport>(StringComparer.Ordinal);
        foreach (var (name, report) in operations)
        {
            double? target = SeedTargets.P99TargetMs.TryGetValue(name, out var t) ? t : null;
            bool? pass = target is { } bar && report.Count > 0 ? report.LatencyMs.P99 < bar : null;
            judged[name] = report with { TargetP99Ms = target, Pass = pass };
        }

        return judged;
    }

    /// <summary>The seed's checks for one stretch of load: throughput, overall P99, error rate, every operation under its target.</summary>
    /// <param name="scope">The stretch's name in the report.</param>
    /// <param name="section">Its figures (operations already passed through <see cref="WithTargets"/>).</param>
    /// <param name="level">Sustained (800 ms, 0.05 %) or short term (1000 ms, 1 %).</param>
    /// <param name="overallOperations">What the overall P99 covers, for the check's name.</param>
    /// <param name="requiredOperations">Operations that must have samples; others are judged only when they do.</param>
    /// <param name="minP99Samples">Requests the overall P99 needs to be judged; below it the check is reported, not judged.</param>
    public static IReadOnlyList<CheckResult> Load(
        string scope,
        SectionReport section,
        TargetLevel level,
        IReadOnlyList<string> overallOperations,
        IReadOnlyCollection<string> requiredOperations,
        int minP99Samples = 0)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(overallOperations);
        ArgumentNullException.ThrowIfNull(requiredOperations);
        var checks = new List<CheckResult>();
        if (section.OfferedRate is { } offered)
        {
            var needed = offered * ThroughputShare;
            checks.Add(new CheckResult(
                scope,
                "throughput",
                Invariant($"{offered:0.#} ops/s held (≥ {needed:0.##} answered 2xx per s)"),
                Invariant($"{section.Throughput:0.##} ops/s"),
                section.DurationSeconds > 0 ? section.Throughput >= needed : null,
                section.DurationSeconds > 0 ? null : "nothing measured"));
        }

        checks.Add(OverallP99(scope, section, level, overallOperations, minP99Samples));

        var all = section.AllOperations;
        checks.Add(new CheckResult(
            scope,
            "error rate (all operations)",
            Invariant($"< {level.MaxErrorRate * 100:0.0#} %"),
            Invariant($"{all.ErrorRate * 100:0.00} % ({all.Errors} of {all.Count})"),
            all.Count > 0 ? all.ErrorRate < level.MaxErrorRate : null,
            all.Count > 0 ? null : "nothing measured"));

        checks.Add(OperationTargets(scope, section.Operations, requiredOperations));
        return checks;
    }

    /// <summary>The section's overall P99 against the level's bar; not judged (with a note) when it has fewer than <paramref name="minSamples"/> requests.</summary>
    public static CheckResult OverallP99(string scope, SectionReport section, TargetLevel level, IReadOnlyList<string> overallOperations, int minSamples = 0)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(overallOperations);
        var overall = section.Overall;
        var enough = overall.Count > 0 && overall.Count >= minSamples;
        return new CheckResult(
            scope,
            "overall P99 (" + string.Join(", ", overallOperations) + ")",
            Invariant($"< {level.OverallP99Ms:0} ms"),
            overall.Count > 0 ? Invariant($"{overall.LatencyMs.P99:0.0} ms") : "no samples",
            enough ? overall.LatencyMs.P99 < level.OverallP99Ms : null,
            overall.Count == 0 ? "no requests of those operations"
                : enough ? null
                : Invariant($"{overall.Count} requests, too few for a P99 verdict (at least {minSamples}): judged over the whole run"));
    }

    /// <summary>One check over every operation's P99 target.</summary>
    public static CheckResult OperationTargets(string scope, IReadOnlyDictionary<string, OperationReport> operations, IReadOnlyCollection<string> requiredOperations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(requiredOperations);
        var failures = new List<string>();
        var judged = 0;
        foreach (var (name, report) in operations)
        {
            if (report.Count == 0)
            {
                if (requiredOperations.Contains(name))
                {
                    failures.Add(name + ": no samples");
                }

                continue;
            }

            if (report.Pass is { } pass)
            {
                judged++;
                if (!pass)
                {
                    failures.Add(Invariant($"{name} P99 {report.LatencyMs.P99:0} ms ≥ {report.TargetP99Ms:0} ms"));
                }
            }
        }

        foreach (var name in requiredOperations.Where(name => !operations.ContainsKey(name)))
        {
            failures.Add(name + ": no samples");
        }

        var expected = "P99 under target: " + string.Join(", ", SeedTargets.P99TargetMs
            .Where(t => operations.ContainsKey(t.Key))
            .Select(t => Invariant($"{t.Key} {FormatMs(t.Value)}")));
        return new CheckResult(
            scope,
            "every operation under its target",
            expected,
            failures.Count > 0 ? string.Join("; ", failures) : Invariant($"all {judged} under"),
            judged == 0 && failures.Count == 0 ? null : failures.Count == 0,
            judged == 0 && failures.Count == 0 ? "no operation had samples" : null);
    }

    /// <summary>A closed-loop part of the concurrency scenario: every request must succeed (seed: 100 %).</summary>
    public static CheckResult SuccessRate(string scope, SectionReport section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var all = section.AllOperations;
        var rate = all.Count == 0 ? 0 : 1 - all.ErrorRate;
        return new CheckResult(
            scope,
            "success rate",
            "100 %",
            Invariant($"{rate * 100:0.00} % ({all.Count - all.Errors} of {all.Count})"),
            all.Count > 0 ? all.Errors == 0 : null,
            all.Count > 0 ? null : "nothing measured");
    }

    /// <summary>Memory growth per hour, judged only on runs of at least <see cref="MinimumStabilityJudgement"/>.</summary>
    public static CheckResult MemoryGrowth(MemoryReport memory, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var expected = Invariant($"≤ {SeedTargets.MemoryGrowthMbPerHour:0} MB/h");
        if (!memory.Measured || memory.GrowthMbPerHour is not { } growth)
        {
            return new CheckResult("run", "gateway memory growth", expected, "not measured", null, memory.Problem ?? "fewer than two readings");
        }

        var actual = Invariant($"{growth:+0.0;-0.0} MB/h over {memory.WindowSeconds / 60:0.#} min");
        return measured < MinimumStabilityJudgement
            ? new CheckResult("run", "gateway memory growth", expected, actual, null, Invariant($"not judged: runs shorter than {MinimumStabilityJudgement.TotalMinutes:0} min only report it (a slope over minutes is GC noise)"))
            : new CheckResult("run", "gateway memory growth", expected, actual, growth <= SeedTargets.MemoryGrowthMbPerHour);
    }

    /// <summary>Mean latency of the last part against the first, judged only on long runs.</summary>
    public static CheckResult Drift(DriftReport drift, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var expected = Invariant($"mean within ± {DriftToleranceMs:0} ms (seed: 580 ms ± 50 ms)");
        var actual = Invariant($"mean {drift.MeanMs:+0.0;-0.0} ms, P50 {drift.P50Ms:+0.0;-0.0} ms, P99 {drift.P99Ms:+0.0;-0.0} ms (last vs first {drift.PartFraction * 100:0} %)");
        return measured < MinimumStabilityJudgement
            ? new CheckResult("run", "latency drift", expected, actual, null, Invariant($"not judged: runs shorter than {MinimumStabilityJudgement.TotalMinutes:0} min only report it"))
            : new CheckResult("run", "latency drift", expected, actual, Math.Abs(drift.MeanMs) <= DriftToleranceMs);
    }

    /// <summary>All judged checks passed (checks that were not judged do not count); null when none was judged.</summary>
    public static bool? Passed(IEnumerable<CheckResult> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var judged = checks.Where(c => c.Passed is not null).ToList();
        return judged.Count == 0 ? null : judged.All(c => c.Passed == true);
    }

    public static string FormatMs(double ms) => ms >= 10_000 && ms % 1000 == 0
        ? Invariant($"{ms / 1000:0} s")
        : Invariant($"{ms:0} ms");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
