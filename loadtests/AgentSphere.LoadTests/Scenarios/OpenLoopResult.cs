using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary>One open-loop run: its schedule, when it ran and what it measured.</summary>
internal sealed record OpenLoopResult(ArrivalSchedule Schedule, RunTimeline Timeline, Recorder Recorder)
{
    /// <summary>Runs <paramref name="workload"/> on <paramref name="schedule"/>, one recorder phase per measured stage.</summary>
    public static async Task<OpenLoopResult> RunAsync(ScenarioContext context, Workloads.Workload workload, ArrivalSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(schedule);
        var phases = Math.Max(1, schedule.Stages.Count(s => s.Measured));
        var recorder = new Recorder(workload.Operations, phases, workload.OverallOperations, context.Series);
        var engine = new Engine(context.Sender, workload, schedule, recorder, context.Time, context.Progress);
        var timeline = await engine.RunAsync(context.Stop);
        return new OpenLoopResult(schedule, timeline, recorder);
    }

    /// <summary>How much of the schedule ran (all of it unless interrupted).</summary>
    public TimeSpan Ran => Timeline.Interrupted ? Timeline.ScheduleEndedAt - Timeline.StartedAt : Schedule.Length;

    /// <summary>The measured part of the schedule that ran.</summary>
    public TimeSpan MeasuredDuration
    {
        get
        {
            var (from, to) = Schedule.MeasuredWindow;
            return Clip(from, to);
        }
    }

    /// <summary>Where the measured part lies on the scenario's time line, seconds.</summary>
    public (double From, double To) MeasuredSeconds
    {
        get
        {
            var from = Timeline.SeriesStart + Schedule.MeasuredWindow.From;
            return (from.TotalSeconds, (from + MeasuredDuration).TotalSeconds);
        }
    }

    /// <summary>The figures of one stage.</summary>
    public SectionReport Stage(int stage, string name, IReadOnlyList<MemorySample> memory)
    {
        var phase = Engine.PhasesOf(Schedule)[stage];
        if (phase < 0)
        {
            throw new ArgumentException("Only measured stages have figures.", nameof(stage));
        }

        var from = Schedule.StartOf(stage);
        var duration = Clip(from, Schedule.StartOf(stage + 1));
        var start = (Timeline.SeriesStart + from).TotalSeconds;
        return Analysis.Section(
            name,
            Recorder.Measured(phase),
            start,
            duration,
            Schedule.Stages[stage].Rate,
            null,
            Analysis.PeakMb(memory, start, start + duration.TotalSeconds));
    }

    /// <summary>The figures of every measured stage together.</summary>
    public SectionReport Whole(string name, IReadOnlyList<MemorySample> memory)
    {
        var measured = Schedule.Stages.Where(s => s.Measured).Select(s => s.Rate).Distinct().ToList();
        var (from, to) = MeasuredSeconds;
        return Analysis.Section(
            name,
            Recorder.Measured(),
            from,
            MeasuredDuration,
            measured.Count == 1 ? measured[0] : null,
            null,
            Analysis.PeakMb(memory, from, to));
    }

    private TimeSpan Clip(TimeSpan from, TimeSpan to)
    {
        var end = to < Ran ? to : Ran;
        return end > from ? end - from : TimeSpan.Zero;
    }
}
