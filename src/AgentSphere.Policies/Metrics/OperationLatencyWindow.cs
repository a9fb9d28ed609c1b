using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Metrics;

/// <summary>Live latency percentiles, rates and errors per operation over a sliding window of whole seconds.</summary>
/// <remarks>
/// A ring of one slot per second: the current second, the window's whole seconds before it, and one spare, so the slot a writer
/// reclaims for a new second is always outside the window a reader of the previous second merges. Every sample of the last
/// <see cref="Window"/> counts: a sample leaves the figures between one window and one window plus a second after it was recorded. Recording reads the clock, picks slot <c>second mod ring length</c>, claims it
/// when it still holds an older second (<see cref="LatencySlot.Enter"/>), and adds the latency to that operation's fixed
/// log-linear buckets (<see cref="LatencyHistogram"/>) with <see cref="Interlocked"/> increments: no lock, and no allocation once
/// each slot has seen each operation. Reading merges the slots whose second is inside the window; it allocates, and is meant for
/// a dashboard or an alert evaluation every few seconds, not for the request path.
/// </remarks>
internal sealed class OperationLatencyWindow : ILatencyRecorder
{
    private static readonly int OperationCount = AgentSphereOperations.Names.Count;

    private readonly TimeProvider _timeProvider;
    private readonly long _frequency;
    private readonly LatencySlot[] _slots;
    private readonly int _windowSeconds;
    private readonly long _createdTimestamp;

    public OperationLatencyWindow(IOptions<MetricsOptions> options, TimeProvider timeProvider)
        : this(options.Value.Window, timeProvider)
    {
    }

    internal OperationLatencyWindow(TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1));
        _timeProvider = timeProvider;
        _frequency = timeProvider.TimestampFrequency;
        _windowSeconds = (int)Math.Ceiling(window.TotalSeconds);
        _slots = new LatencySlot[_windowSeconds + 2];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new LatencySlot();
        }

        _createdTimestamp = timeProvider.GetTimestamp();
    }

    /// <summary>The window the figures cover.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(_windowSeconds);

    public void Record(AgentSphereOperation operation, TimeSpan elapsed, int statusCode, bool transportFailure = false) =>
        Record(operation, elapsed, transportFailure || statusCode >= 500);

    public void Record(AgentSphereOperation operation, TimeSpan elapsed, bool failed)
    {
        // An undefined enum value counts as Other rather than throwing on the request path.
        var index = (uint)operation < (uint)OperationCount ? (int)operation : 0;
        var second = _timeProvider.GetTimestamp() / _frequency;
        var slot = _slots[(int)((ulong)second % (uint)_slots.Length)];
        if (slot.Epoch != second)
        {
            slot.Enter(second);
        }

        slot.Counters(index).Add(Math.Max(elapsed.Ticks, 0), failed);
    }

    /// <summary>Merges the current second and the window's whole seconds before it into per-operation and overall figures.</summary>
    public LatencyWindowReading Read()
    {
        var now = _timeProvider.GetTimestamp();
        var second = now / _frequency;
        var oldest = second - _windowSeconds;
        var perOperation = new LatencyAccumulator?[OperationCount];
        foreach (var slot in _slots)
        {
            var epoch = slot.Epoch;
            if (epoch < oldest || epoch > second)
            {
                continue;
            }

            for (var i = 0; i < OperationCount; i++)
            {
                if (slot.Peek(i) is { } counters)
                {
                    counters.AddTo(perOperation[i] ??= new LatencyAccumulator());
                }
            }
        }

        // Rates are over the part of the window the process has been up for, and over at least one second so a burst just after
        // start-up does not read as a huge rate.
        var start = Math.Max(oldest * _frequency, _createdTimestamp);
        var coveredSeconds = Math.Max(1.0, (double)(now - start) / _frequency);

        var overall = new LatencyAccumulator();
        var operations = new List<OperationLatencyStatistics>();
        for (var i = 0; i < OperationCount; i++)
        {
            if (perOperation[i] is { Count: > 0 } accumulator)
            {
                overall.Add(accumulator);
                operations.Add(accumulator.ToStatistics(((AgentSphereOperation)i).GetName(), coveredSeconds));
            }
        }

        return new LatencyWindowReading(overall.ToStatistics("all", coveredSeconds), operations, coveredSeconds);
    }
}
