namespace AgentSphere.Policies.Admission;

/// <summary>Counts callers' requests in service in this process only.</summary>
internal sealed class InMemoryCallerConcurrencyStore : ICallerConcurrencyStore
{
    private readonly Dictionary<string, int> _inUse = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Callers with at least one slot taken.</summary>
    public int TrackedCallers
    {
        get
        {
            lock (_lock)
            {
                return _inUse.Count;
            }
        }
    }

    public ValueTask<ConcurrencyGrant> TryAcquireAsync(string callerId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callerId);
        lock (_lock)
        {
            var inUse = _inUse.GetValueOrDefault(callerId);
            if (inUse >= limit)
            {
                return ValueTask.FromResult(new ConcurrencyGrant(false, callerId, inUse, limit, null, Shared: false));
            }

            _inUse[callerId] = inUse + 1;
            return ValueTask.FromResult(new ConcurrencyGrant(true, callerId, inUse + 1, limit, callerId, Shared: false));
        }
    }

    public ValueTask ReleaseAsync(ConcurrencyGrant grant)
    {
        if (!grant.Acquired || grant.Shared)
        {
            return ValueTask.CompletedTask;
        }

        lock (_lock)
        {
            if (_inUse.TryGetValue(grant.CallerId, out var inUse))
            {
                if (inUse <= 1)
                {
                    _inUse.Remove(grant.CallerId);
                }
                else
                {
                    _inUse[grant.CallerId] = inUse - 1;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Slots in use for <paramref name="callerId"/>.</summary>
    public int InUse(string callerId)
    {
        lock (_lock)
        {
            return _inUse.GetValueOrDefault(callerId);
        }
    }
}
