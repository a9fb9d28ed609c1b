namespace AgentSphere.Policies.Admission;

/// <summary>Counts callers' quota-counted requests per day in this process only; yesterday's counts are dropped as days pass.</summary>
internal sealed class InMemoryDailyQuotaStore : IDailyQuotaStore
{
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _latestWindowStart;

    /// <summary>Callers with a count in a current window.</summary>
    public int TrackedCallers
    {
        get
        {
            lock (_lock)
            {
                return _counters.Count;
            }
        }
    }

    public ValueTask<QuotaGrant> TryConsumeAsync(string callerId, QuotaWindow window, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callerId);
        lock (_lock)
        {
            if (window.Start > _latestWindowStart)
            {
                // A new day: forget every count from earlier days at once rather than carrying them forever.
                _latestWindowStart = window.Start;
                _counters.Clear();
            }

            if (!_counters.TryGetValue(callerId, out var counter) || counter.WindowStart != window.Start)
            {
                counter = new Counter(window.Start);
                _counters[callerId] = counter;
            }

            if (counter.Used >= limit)
            {
                return ValueTask.FromResult(new QuotaGrant(false, callerId, window, counter.Used, limit, Shared: false));
            }

            counter.Used++;
            return ValueTask.FromResult(new QuotaGrant(true, callerId, window, counter.Used, limit, Shared: false));
        }
    }

    public ValueTask RefundAsync(QuotaGrant grant)
    {
        if (!grant.Granted || grant.Shared)
        {
            return ValueTask.CompletedTask;
        }

        lock (_lock)
        {
            if (_counters.TryGetValue(grant.CallerId, out var counter) && counter.WindowStart == grant.Window.Start && counter.Used > 0)
            {
                // A count back at zero is forgotten: requests the backend refused (made-up API keys) leave nothing behind.
                if (--counter.Used == 0)
                {
                    _counters.Remove(grant.CallerId);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Requests counted for <paramref name="callerId"/> in <paramref name="window"/>.</summary>
    public long Used(string callerId, QuotaWindow window)
    {
        lock (_lock)
        {
            return _counters.TryGetValue(callerId, out var counter) && counter.WindowStart == window.Start ? counter.Used : 0;
        }
    }

    private sealed class Counter(DateTimeOffset windowStart)
    {
        public DateTimeOffset WindowStart { get; } = windowStart;

        public long Used { get; set; }
    }
}
