using System.Globalization;
using System.Text.Json;
using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Scenarios;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>The end-of-run summary: a table for people, a JSON document for scripts.</summary>
internal sealed class Report(ReportDocument document)
{
    public ReportDocument Document { get; } = document;

    public static Report Create(LoadTestOptions options, Scenario scenario, ArrivalSchedule schedule, RunTimeline timeline, Recorder recorder)
    {
        var (operations, overall, sendLag) = recorder.Measured();
        var measured = timeline.ScheduleEndedAt - timeline.MeasuredFrom;
        var duration = measured <= TimeSpan.Zero ? TimeSpan.Zero : measured < options.Duration ? measured : options.Duration;
        return new Report(new ReportDocument(
            scenario.Name,
            options.Target.ToString(),
            schedule.Description,
            options.Rate,
            duration > TimeSpan.Zero ? Math.Round(overall.Count / duration.TotalSeconds, 3) : 0,
            Math.Round(duration.TotalSeconds, 3),
            options.Warmup.TotalSeconds,
            options.ApiKeys,
            options.Seed,
            timeline.StartedAt,
            timeline.MeasuredFrom,
            timeline.ScheduleEndedAt,
            timeline.EndedAt,
            timeline.Interrupted,
            Math.Round(timeline.MaxSendLag.TotalMilliseconds, 3),
            LatencyReport.From(sendLag),
            OperationReport.From(overall),
            operations.ToDictionary(o => o.Operation, OperationReport.From, StringComparer.Ordinal)));
    }

    public void Print(TextWriter output)
    {
        var d = Document;
        output.WriteLine(Invariant($"scenario {d.Scenario} -> {d.Target}"));
        output.WriteLine(Invariant($"arrivals {d.Arrivals}; measured {Durations.Format(TimeSpan.FromSeconds(d.DurationSeconds))} after {Durations.Format(TimeSpan.FromSeconds(d.WarmupSeconds))} warm-up; {d.ApiKeys} API key(s); seed {d.Seed}{(d.Interrupted ? "; INTERRUPTED" : "")}"));
        output.WriteLine(Invariant($"started {d.StartedAt:O}, measured from {d.MeasuredFrom:O}, ended {d.EndedAt:O}"));
        output.WriteLine(Invariant($"measured requests {d.Overall.Count} ({d.MeasuredRate:0.0}/s); send lag behind schedule p50 {d.SendLagMs.P50:0.0} / p99 {d.SendLagMs.P99:0.0} / max {d.SendLagMs.Max:0.0} ms (whole run max {d.MaxSendLagMs:0.0} ms)"));
        output.WriteLine();
        PrintTable(output, "latency from scheduled start, ms (corrected for coordinated omission)", r => r.LatencyMs);
        output.WriteLine();
        PrintTable(output, "service time from actual send, ms", r => r.ServiceTimeMs);
        output.WriteLine();
        output.WriteLine("outcomes: " + string.Join("; ", d.Operations.Select(o =>
            $"{o.Key} " + string.Join(", ", o.Value.Outcomes.Select(x => Invariant($"{x.Key}×{x.Value}"))))));
    }

    public async Task WriteJsonAsync(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, Document, ReportJsonContext.Default.ReportDocument);
    }

    private void PrintTable(TextWriter output, string title, Func<OperationReport, LatencyReport> select)
    {
        output.WriteLine(title);
        output.WriteLine(Invariant($"{"operation",-12} {"count",8} {"errors",7} {"err %",7} {"p50",9} {"p95",9} {"p99",9} {"p99.9",9} {"max",9}"));
        foreach (var (name, report) in Document.Operations.Append(new("overall", Document.Overall)))
        {
            var l = select(report);
            output.WriteLine(Invariant(
                $"{name,-12} {report.Count,8} {report.Errors,7} {report.ErrorRate * 100,6:0.00}% {l.P50,9:0.0} {l.P95,9:0.0} {l.P99,9:0.0} {l.P999,9:0.0} {l.Max,9:0.0}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
