using System.Globalization;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Load;

/// <summary>Writes the once-a-second progress line to stderr and closes the chart series' intervals.</summary>
internal sealed class ProgressReporter(TextWriter output, TimeSeries series, MemorySampler memory, TimeProvider time)
{
    public TimeSeries Series => series;

    public MemorySampler Memory => memory;

    /// <summary>Reports every second until <paramref name="completion"/> finishes, then once more.</summary>
    /// <param name="phase">The current phase's label, e.g. <c>stage 2: 20/s</c>.</param>
    /// <param name="recorder">Where the counters come from.</param>
    /// <param name="workload">Adds its state (the sandbox pool) to the line.</param>
    /// <param name="completion">The run being reported.</param>
    public async Task RunAsync(Func<string> phase, Recorder recorder, Workload? workload, Task completion)
    {
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(completion);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (!completion.IsCompleted)
        {
            await Task.WhenAny(timer.WaitForNextTickAsync().AsTask(), completion);
            series.Tick();
            await WriteAsync(completion.IsCompleted ? "done" : phase(), recorder.TakeInterval(), workload);
        }
    }

    /// <summary>Writes one free-form line with the elapsed time in front.</summary>
    public Task NoteAsync(string text) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{series.Elapsed.TotalSeconds,7:0.0}s] {text}"));

    private Task WriteAsync(string phase, IntervalSnapshot now, Workload? workload)
    {
        var extra = workload?.Status is { Length: > 0 } status ? "  " + status : "";
        var mem = memory.LatestMegabytes is { } mb ? string.Create(CultureInfo.InvariantCulture, $"  mem {mb:0} MB") : "";
        return NoteAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{phase,-18} sent {now.Sent,8}  done {now.Completed,8}  in flight {now.InFlight,5}  errors {now.Errors,5}  p99(1s) {now.IntervalP99Ms,8:0.0} ms{extra}{mem}"));
    }
}
