using System.Runtime.InteropServices;
using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Scenarios;

LoadTestOptions options;
Scenario? scenario;
try
{
    if (args is [] or ["-h" or "--help"])
    {
        Console.WriteLine(Usage());
        return args is [] ? 2 : 0;
    }

    options = LoadTestOptions.Parse(args);
    scenario = ScenarioCatalog.Create(options.Scenario, options.Seed)
        ?? throw new UsageException($"unknown scenario '{options.Scenario}'.");
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

using var client = LoadHttpClient.Create(options.Target);
var schedule = new ConstantRateSchedule(options.Rate, options.Warmup + options.Duration);
var recorder = new Recorder(scenario.Operations);
var engine = new Engine(client, scenario, schedule, recorder, options.Warmup, options.ApiKeys, TimeProvider.System, Console.Error);

await Console.Error.WriteLineAsync(
    $"{scenario.Name} -> {options.Target}: {schedule.Description} for {Durations.Format(options.Warmup)} warm-up + {Durations.Format(options.Duration)}");
var timeline = await engine.RunAsync(stop.Token);
var report = Report.Create(options, scenario, schedule, timeline, recorder);
report.Print(Console.Out);
if (options.ReportPath is not null)
{
    await report.WriteJsonAsync(options.ReportPath);
    await Console.Error.WriteLineAsync($"report written to {options.ReportPath}");
}

// An interrupted run still reports what it measured, but says it was cut short.
return timeline.Interrupted ? 130 : 0;

static string Usage() => string.Format(System.Globalization.CultureInfo.InvariantCulture, LoadTestOptions.Usage, string.Join(", ", ScenarioCatalog.Names));
