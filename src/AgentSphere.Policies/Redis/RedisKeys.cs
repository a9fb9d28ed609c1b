using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Redis;

/// <summary>Builds the Redis keys of shared state; each carries a hashed caller id or cache key, never a raw API key.</summary>
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

    /// <summary><c>{prefix}:oc:{sha256-hex}</c>: one cached response; the output cache key is hashed, so any length or character set is safe.</summary>
    public static string OutputCacheEntry(string prefix, string cacheKey)
    {
        ArgumentNullException.ThrowIfNull(cacheKey);
        const int StackLimit = 512;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(cacheKey.Length);
        byte[]? rented = null;
        var utf8 = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(cacheKey, utf8)], hash);
            return string.Concat(prefix, ":oc:", Convert.ToHexStringLower(hash));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary><c>{prefix}:oc:tag:{tag}</c>: the entry keys that carry an output cache tag, scored by their expiry.</summary>
    public static string OutputCacheTag(string prefix, string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return string.Concat(prefix, ":oc:tag:", tag);
    }

    /// <summary><c>{prefix}:oc:evict</c>: the pub/sub channel on which instances announce tag evictions to each other.</summary>
    public static string OutputCacheEvictChannel(string prefix) => string.Concat(prefix, ":oc:evict");

    /// <summary>The idempotency record of a caller's key: <c>{prefix}:idem:{callerId}:{sha256-hex(key)}</c>; the client's key itself never becomes part of a Redis key.</summary>
    public static string Idempotency(string prefix, string callerId, string idempotencyKey)
    {
        Span<byte> digest = stackalloc byte[System.Security.Cryptography.SHA256.HashSizeInBytes];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey), digest);
        return string.Concat(prefix, ":idem:", callerId, ":", Convert.ToHexStringLower(digest));
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
