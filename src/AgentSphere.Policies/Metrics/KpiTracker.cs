namespace AgentSphere.Policies.Metrics;

/// <summary>Tracks requests and callers in service and turns <see cref="OperationLatencyWindow"/>'s figures into the seed's KPIs.</summary>
/// <remarks>
/// Callers in service are counted without a lock: each caller id hashes to one of 16384 slots holding its requests in service
/// (<see cref="Interlocked"/> increments; a decrement by compare-and-swap that never goes below zero), and a separate counter follows
/// the slots that are not empty. Two callers in one slot at the same time count as one, which at a few hundred concurrent callers
/// undercounts by one now and then: fine for a KPI, and the price of keeping a dictionary's bucket locks off the request path.
/// </remarks>
internal sealed class KpiTracker : IKpiTracker
{
    private readonly OperationLatencyWindow _window;
    private readonly TimeProvider _timeProvider;
    /// <summary>Slots callers are counted in by hash: no lock, no allocation; two callers sharing a slot count as one while both are in service.</summary>
    private const int CallerSlots = 1 << 14;

    private readonly int[] _callerSlots = new int[CallerSlots];
    private readonly long _startedTimestamp;
    private readonly DateTimeOffset _startedAt;
    private int _activeCallers;
    private int _inService;

    public KpiTracker(OperationLatencyWindow window, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _window = window;
        _timeProvider = timeProvider;
        _startedTimestamp = timeProvider.GetTimestamp();
        _startedAt = timeProvider.GetUtcNow();
    }

    public void RequestStarted(string? callerId)
    {
        Interlocked.Increment(ref _inService);
        if (callerId is not null && Interlocked.Increment(ref _callerSlots[Slot(callerId)]) == 1)
        {
            Interlocked.Increment(ref _activeCallers);
        }
    }

    public void RequestFinished(string? callerId)
    {
        if (callerId is null)
        {
            Interlocked.Decrement(ref _inService);
            return;
        }

        // A caller with nothing in service is an unbalanced call: ignored, so it cannot push the counts below the truth.
        ref var slot = ref _callerSlots[Slot(callerId)];
        int count;
        do
        {
            count = Volatile.Read(ref slot);
            if (count == 0)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref slot, count - 1, count) != count);

        Interlocked.Decrement(ref _inService);
        if (count == 1)
        {
            Interlocked.Decrement(ref _activeCallers);
        }
    }

    private static int Slot(string callerId) => StringComparer.Ordinal.GetHashCode(callerId) & (CallerSlots - 1);

    public KpiSnapshot Snapshot()
    {
        var reading = _window.Read();
        var all = reading.Overall;
        return new KpiSnapshot(
            _timeProvider.GetUtcNow(),
            _startedAt,
            _timeProvider.GetElapsedTime(_startedTimestamp).TotalSeconds,
            _window.Window.TotalSeconds,
            reading.CoveredSeconds,
            all.Requests,
            all.Errors,
            all.RequestsPerSecond,
            all.RequestsPerSecond * 60,
            all.AverageMilliseconds,
            all.P50Milliseconds,
            all.P95Milliseconds,
            all.P99Milliseconds,
            all.MaxMilliseconds,
            all.ErrorRatePercent,
            all.Requests == 0 ? 100 : 100 - all.ErrorRatePercent,
            Math.Max(0, Volatile.Read(ref _activeCallers)),
            Math.Max(0, Volatile.Read(ref _inService)),
            reading.Operations);
    }
}
