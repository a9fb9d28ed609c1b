using System.Collections.Concurrent;

namespace AgentSphere.Policies.Metrics;

/// <summary>Tracks requests and callers in service and turns <see cref="OperationLatencyWindow"/>'s figures into the seed's KPIs.</summary>
/// <remarks>
/// Callers in service are counted per caller id in a <see cref="ConcurrentDictionary{TKey, TValue}"/> updated with compare-and-swap
/// (<c>TryUpdate</c>, and a remove that only succeeds while the count is still 1), so a caller that starts a request while its last
/// one finishes is never dropped; a separate counter follows the number of entries so reading it takes no dictionary lock.
/// </remarks>
internal sealed class KpiTracker : IKpiTracker
{
    private readonly OperationLatencyWindow _window;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, int> _callers = new(StringComparer.Ordinal);
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
        if (callerId is null)
        {
            return;
        }

        while (true)
        {
            if (_callers.TryGetValue(callerId, out var count))
            {
                if (_callers.TryUpdate(callerId, count + 1, count))
                {
                    return;
                }
            }
            else if (_callers.TryAdd(callerId, 1))
            {
                Interlocked.Increment(ref _activeCallers);
                return;
            }
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
        while (_callers.TryGetValue(callerId, out var count))
        {
            if (count <= 1)
            {
                if (_callers.TryRemove(new KeyValuePair<string, int>(callerId, count)))
                {
                    Interlocked.Decrement(ref _activeCallers);
                    Interlocked.Decrement(ref _inService);
                    return;
                }
            }
            else if (_callers.TryUpdate(callerId, count - 1, count))
            {
                Interlocked.Decrement(ref _inService);
                return;
            }
        }
    }

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
