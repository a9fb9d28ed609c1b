using AgentSphere.Policies.Admission;

namespace AgentSphere.Gateway.Admission;

/// <summary>
/// Remembers the caller ids of recently seen API keys, so a key's SHA-256 is computed once rather than on every request: a fixed
/// table of 1024 slots, each holding one key's ids, replaced by the next key that lands in it.
/// </summary>
/// <remarks>
/// Memory stays bounded whatever keys arrive, and a flood of new keys only costs the hashing the cache would have saved. Entries are
/// immutable and a slot is swapped in one write, so readers need no lock. The raw key stays in this process's memory, as it does
/// in the server's own request buffers; it is never logged, exported or sent anywhere.
/// </remarks>
internal sealed class CallerIdCache
{
    private const int Slots = 1024;
    private readonly Entry?[] _entries = new Entry?[Slots];

    /// <summary>The caller id (with <paramref name="endUser"/>) and tenant id (the key alone) of <paramref name="apiKey"/>.</summary>
    public (string CallerId, string TenantId) Get(string apiKey, string endUser)
    {
        var slot = (int)((uint)HashCode.Combine(apiKey, endUser) % Slots);
        if (_entries[slot] is { } entry && string.Equals(entry.ApiKey, apiKey, StringComparison.Ordinal) && string.Equals(entry.EndUser, endUser, StringComparison.Ordinal))
        {
            return (entry.CallerId, entry.TenantId);
        }

        var callerId = CallerIdentity.Compute(apiKey, endUser);
        var tenantId = endUser.Length == 0 ? callerId : CallerIdentity.Compute(apiKey);
        _entries[slot] = new Entry(apiKey, endUser, callerId, tenantId);
        return (callerId, tenantId);
    }

    private sealed record Entry(string ApiKey, string EndUser, string CallerId, string TenantId);
}
