using System.Buffers;
using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Redis;

/// <summary>Builds the Redis keys of shared state; each carries a hashed caller id, never a raw API key.</summary>
internal static class RedisKeys
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary><c>{prefix}:cc:{callerId}</c>: the caller's concurrency leases.</summary>
    public static string Concurrency(string prefix, string callerId)
    {
        ThrowIfNotCallerId(callerId);
        return string.Concat(prefix, ":cc:", callerId);
    }

    /// <summary><c>{prefix}:quota:{callerId}:{windowId}</c>: the caller's count in one quota window.</summary>
    public static string Quota(string prefix, string callerId, QuotaWindow window)
    {
        ThrowIfNotCallerId(callerId);
        return string.Concat(prefix, ":quota:", callerId, ":", window.Id);
    }

    /// <summary>Rejects anything but a <see cref="CallerIdentity"/> id, so a raw key can never reach Redis by mistake.</summary>
    private static void ThrowIfNotCallerId(string callerId)
    {
        ArgumentNullException.ThrowIfNull(callerId);
        if (callerId.Length != CallerIdentity.Length || callerId.AsSpan().ContainsAnyExcept(LowerHex))
        {
            throw new ArgumentException($"A caller id is {CallerIdentity.Length} lowercase hex characters from {nameof(CallerIdentity)}.{nameof(CallerIdentity.Compute)}.", nameof(callerId));
        }
    }
}
