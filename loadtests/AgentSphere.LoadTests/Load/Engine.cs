using System.Globalization;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Load;

/// <summary>Runs a workload open loop: each request starts when the schedule says, whether or not earlier ones finished.</summary>
/// <remarks>
/// One loop walks the schedule: it sleeps until the next arrival is due and then sends every arrival whose time has
/// come (several at once if it woke late), without awaiting them. A request's latency is measured from its due time,
/// not from when it was sent, so a stalled generator or a slow server cannot hide waiting time (coordinated omission);
/// its service time is measured from the actual send. Requests of an unmeasured stage (the warm-up) are sent but left
/// out of the report; the measured stages are the recorder's phases 0, 1, ... in order. When the schedule ends (or a
/// signal stops it) no more requests start and the engine waits for those in flight, which the client's 60 s timeout
/// bounds.
/// </remarks>
internal sealed class Engine
{
    private readonly RequestSender _sender;
    private readonly Workload _workload;
    private readonly ArrivalSchedule _schedule;
    private readonly Recorder _recorder;
    private readonly TimeProvider _time;
    private readonly ProgressReporter _progress;
    private readonly int[] _phaseOfStage;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Starts at 1 for the scheduling loop itself, so the count cannot reach 0 while arrivals are still to come.
    private long _pending = 1;
    private long _maxLagTicks;
    private volatile int _stage;
    private volatile bool _scheduleDone;

    public Engine(RequestSender sender, Workload workload, ArrivalSchedule schedule, Recorder recorder, TimeProvider time, ProgressReporter progress)
    {
        _sender = sender;
        _workload = workload;
        _schedule = schedule;
        _recorder = recorder;
        _time = time;
        _progress = progress;
        _phaseOfStage = PhasesOf(schedule);
        if (_phaseOfStage.Max() >= recorder.PhaseCount)
        {
            throw new ArgumentException("The recorder needs one phase per measured stage.", nameof(recorder));
        }
    }

    /// <summary>The recorder phase of each stage: measured stages count 0, 1, ...; unmeasured ones are -1.</summary>
    public static int[] PhasesOf(ArrivalSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var phases = new int[schedule.Stages.Count];
        var next = 0;
        for (var k = 0; k < phases.Length; k++)
        {
            phases[k] = schedule.Stages[k].Measured ? next++ : -1;
        }

        return phases;
    }

    public async Task<RunTimeline> RunAsync(CancellationToken stop)
    {
        var seriesStart = _progress.Series.Elapsed;
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        var reporter = _progress.RunAsync(StageLabel, _recorder, _workload, _drained.Task);

        var interrupted = false;
        try
        {
            for (long index = 0; ; index++)
            {
                if (_schedule.At(index) is not { } arrival)
                {
                    break;
                }

                var due = start + ToTimestampTicks(arrival.Offset);
                var wait = due - _time.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), _time, stop);
                }

                if (stop.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                _stage = arrival.Stage;
                Interlocked.Increment(ref _pending);
                _ = SendAsync(_workload.Next(), due, _phaseOfStage[arrival.Stage]);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            interrupted = true;
        }

        var scheduleEndedAt = _time.GetUtcNow();
        _scheduleDone = true;
        Complete();
        await _drained.Task;
        var endedAt = _time.GetUtcNow();
        await reporter;

        var elapsed = scheduleEndedAt - startedAt;
        for (var k = 0; k < _schedule.Stages.Count; k++)
        {
            var from = _schedule.StartOf(k);
            if (from >= elapsed)
            {
                break;
            }

            var to = _schedule.StartOf(k + 1) < elapsed ? _schedule.StartOf(k + 1) : elapsed;
            _progress.Series.AddPhase(_schedule.Stages[k].Label, seriesStart + from, seriesStart + to, _schedule.Stages[k].Measured);
        }

        return new RunTimeline(
            startedAt,
            startedAt + _schedule.MeasuredWindow.From,
            scheduleEndedAt,
            endedAt,
            interrupted,
            TimeSpan.FromSeconds((double)Interlocked.Read(ref _maxLagTicks) / _time.TimestampFrequency),
            seriesStart);
    }

    private string StageLabel()
    {
        if (_scheduleDone)
        {
            return "drain";
        }

        var stage = _schedule.Stages[_stage];
        return string.Create(CultureInfo.InvariantCulture, $"{stage.Label} {stage.Rate:0.#}/s");
    }

    private async Task SendAsync(WorkloadRequest request, long due, int phase)
    {
        var sent = _time.GetTimestamp();
        UpdateMaxLag(sent - due);
        _recorder.RecordSent();
        try
        {
            var outcome = await _sender.SendAsync(request);
            var ended = _time.GetTimestamp();

            // A request sent a little early (the timer woke before its due time) is measured from its actual send.
            _recorder.RecordCompleted(
                request.Operation,
                phase,
                _time.GetElapsedTime(Math.Min(due, sent), ended),
                _time.GetElapsedTime(sent, ended),
                sent > due ? _time.GetElapsedTime(due, sent) : TimeSpan.Zero,
                outcome.IsSuccess,
                outcome.Label,
                outcome.CacheHit);
            _workload.OnCompleted(request, outcome);
        }
        finally
        {
            Complete();
        }
    }

    private void Complete()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void UpdateMaxLag(long lag)
    {
        var current = Interlocked.Read(ref _maxLagTicks);
        while (lag > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxLagTicks, lag, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private long ToTimestampTicks(TimeSpan offset) => (long)(offset.TotalSeconds * _time.TimestampFrequency);
}
