using HdrHistogram;

namespace AgentSphere.LoadTests.Recording;

/// <summary>Per-interval rates and latency percentiles over a whole scenario, for the report's charts.</summary>
/// <remarks>
/// Requests are counted when sent and when completed; latencies are those of the overall operations, by completion
/// time. <see cref="Tick"/> (called about once a second) closes the current interval once it is <see cref="Interval"/>
/// long, so a two-hour run gives a few hundred exact points rather than thousands of one-second ones. The series spans
/// every engine run of a scenario (capacity steps, concurrency parts), which mark their stretches as phases.
/// </remarks>
internal sealed class TimeSeries
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly LongHistogram _latency = OperationRecord.NewHistogram();
    private readonly List<SeriesPoint> _points = [];
    private readonly List<SeriesPhase> _phases = [];
    private double _intervalStart;
    private long _sent;
    private long _completed;
    private long _errors;

    public TimeSeries(TimeProvider time, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _start = time.GetTimestamp();
        Interval = interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval;
    }

    /// <summary>The interval length: at least 1 s.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Time since the series started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>The interval that keeps a run of <paramref name="planned"/> length to about <paramref name="maxPoints"/> points: whole seconds, at least 1.</summary>
    public static TimeSpan IntervalFor(TimeSpan planned, int maxPoints = 600) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(planned.TotalSeconds / maxPoints)));

    public void RecordSent()
    {
        lock (_gate)
        {
            _sent++;
        }
    }

    public void RecordCompleted(long latencyUs, bool success, bool overall)
    {
        lock (_gate)
        {
            _completed++;
            if (!success)
            {
                _errors++;
            }

            if (overall)
            {
                _latency.RecordValue(latencyUs);
            }
        }
    }

    /// <summary>Closes the current interval if it has lasted <see cref="Interval"/> (or <paramref name="force"/>).</summary>
    public void Tick(bool force = false)
    {
        var now = Elapsed.TotalSeconds;
        lock (_gate)
        {
            if (!force && now - _intervalStart < Interval.TotalSeconds - 0.05)
            {
                return;
            }

            if (now <= _intervalStart)
            {
                return;
            }

            var count = _latency.TotalCount;
            _points.Add(new SeriesPoint(
                Math.Round(_intervalStart, 3),
                Math.Round(now, 3),
                _sent,
                _completed,
                _errors,
                count,
                count > 0 ? Math.Round(_latency.GetMean() / 1000.0, 3) : 0,
                count > 0 ? Math.Round(_latency.GetValueAtPercentile(50) / 1000.0, 3) : 0,
                count > 0 ? Math.Round(_latency.GetValueAtPercentile(95) / 1000.0, 3) : 0,
                count > 0 ? Math.Round(_latency.GetValueAtPercentile(99) / 1000.0, 3) : 0));
            _latency.Reset();
            _sent = _completed = _errors = 0;
            _intervalStart = now;
        }
    }

    /// <summary>Marks a stretch of the time line.</summary>
    public void AddPhase(string label, TimeSpan start, TimeSpan end, bool measured)
    {
        lock (_gate)
        {
            _phases.Add(new SeriesPhase(label, Math.Round(start.TotalSeconds, 3), Math.Round(end.TotalSeconds, 3), measured));
        }
    }

    public IReadOnlyList<SeriesPoint> Points
    {
        get
        {
            lock (_gate)
            {
                return [.. _points];
            }
        }
    }

    public IReadOnlyList<SeriesPhase> Phases
    {
        get
        {
            lock (_gate)
            {
                return [.. _phases];
            }
        }
    }
}
