using System.Globalization;
using System.Runtime.InteropServices;
using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Scenarios;

LoadTestOptions options;
Scenario scenario;
try
{
    if (args is [] or ["-h" or "--help"])
    {
        Console.WriteLine(Usage());
        return args is [] ? 2 : 0;
    }

    options = LoadTestOptions.Parse(args);
    scenario = ScenarioCatalog.Find(options.Scenario) ?? throw new UsageException($"unknown scenario '{options.Scenario}'.");
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    await Console.Error.WriteLineAsync(Usage());
    return 2;
}

// The first SIGINT/SIGTERM stops the schedule and lets requests in flight finish, so the report still appears;
// a second one terminates at once.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        Console.Error.WriteLine("stopping: no new requests; waiting for those in flight (signal again to abort)");
        stop.Cancel();
    }
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var time = TimeProvider.System;
using var client = LoadHttpClient.Create(options.Target);
var series = new TimeSeries(time, TimeSeries.IntervalFor(scenario.PlannedLength(options)));
using var memory = new MemorySampler(options.MetricsUrl, series, time);
using var sampling = new CancellationTokenSource();
var sampler = memory.RunAsync(sampling.Token);
var progress = new ProgressReporter(Console.Error, series, memory, time);
var context = new ScenarioContext(options, new RequestSender(client, options.CacheBypass), time, progress, stop.Token);

await Console.Error.WriteLineAsync($"{scenario.Name} -> {options.Target}: {scenario.Summary}");
ReportDocument document;
try
{
    document = await scenario.RunAsync(context);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("interrupted before anything was measured; no report");
    return 130;
}
finally
{
    await sampling.CancelAsync();
    await sampler;
}

var paths = options.ReportPath is null ? default : ReportFiles.PathsFor(options.ReportPath);
Console.Write(MarkdownRenderer.Render(ReportLayout.Build(document, options.ReportPath is null ? "the HTML report (--report FILE)" : paths.Html)));
if (options.ReportPath is not null)
{
    await ReportFiles.WriteAsync(document, options.ReportPath);
    await Console.Error.WriteLineAsync($"report written to {paths.Markdown}, {paths.Html} and {paths.Json}");
}

Console.WriteLine(ReportLayout.SummaryLine(document));

// An interrupted run still reports what it measured, but says it was cut short; a run that missed a target fails.
return document.Interrupted ? 130 : document.Passed == false ? 1 : 0;

static string Usage() => string.Format(
    CultureInfo.InvariantCulture,
    LoadTestOptions.Usage,
    string.Join("", ScenarioCatalog.Summaries.Select(s => $"\n                      {s.Name,-12} {s.Summary}")),
    AgentSphere.LoadTests.Workloads.OperationMix.DefaultSpec);
