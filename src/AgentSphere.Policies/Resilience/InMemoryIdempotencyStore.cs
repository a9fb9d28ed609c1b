using System.Collections.Concurrent;

namespace AgentSphere.Policies.Resilience;

/// <summary>The <see cref="IIdempotencyStore"/> of a single instance: a dictionary with expiry on the injected clock, swept as it is used.</summary>
internal sealed class InMemoryIdempotencyStore(TimeProvider timeProvider) : IIdempotencyStore
{
    private readonly ConcurrentDictionary<(string Caller, string Key), Entry> _entries = new();
    private long _nextSweep;

    /// <summary>Records held now, expired ones included until the next sweep.</summary>
    internal int Count => _entries.Count;

    public ValueTask<IdempotencyClaim> TryClaimAsync(string callerId, string key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        Sweep(now);
        var id = (callerId, key);
        while (true)
        {
            if (_entries.TryGetValue(id, out var existing) && existing.Expires > now)
            {
                return ValueTask.FromResult(existing.Response is null
                    ? new IdempotencyClaim(IdempotencyState.InProgress, existing.Fingerprint, null, null)
                    : new IdempotencyClaim(IdempotencyState.Completed, existing.Fingerprint, null, existing.Response));
            }

            var token = Guid.NewGuid().ToString("N");
            var claimed = new Entry(fingerprint, token, null, now + lease);
            if (existing is null ? _entries.TryAdd(id, claimed) : _entries.TryUpdate(id, claimed, existing))
            {
                return ValueTask.FromResult(new IdempotencyClaim(IdempotencyState.Claimed, fingerprint, token, null));
            }
        }
    }

    public ValueTask CompleteAsync(string callerId, string key, string token, string fingerprint, IdempotentResponse response, TimeSpan retention)
    {
        var id = (callerId, key);
        if (_entries.TryGetValue(id, out var existing) && existing.Token == token && existing.Response is null)
        {
            _entries.TryUpdate(id, existing with { Response = response, Expires = timeProvider.GetUtcNow() + retention }, existing);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(string callerId, string key, string token)
    {
        var id = (callerId, key);
        if (_entries.TryGetValue(id, out var existing) && existing.Token == token && existing.Response is null)
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>(id, existing));
        }

        return ValueTask.CompletedTask;
    }

    private void Sweep(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        var next = Volatile.Read(ref _nextSweep);
        if (ticks < next || Interlocked.CompareExchange(ref _nextSweep, ticks + TimeSpan.TicksPerMinute, next) != next)
        {
            return;
        }

        foreach (var (id, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.TryRemove(new KeyValuePair<(string, string), Entry>(id, entry));
            }
        }
    }

    private sealed record Entry(string Fingerprint, string Token, IdempotentResponse? Response, DateTimeOffset Expires);
}
