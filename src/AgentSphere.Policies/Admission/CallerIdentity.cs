using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace AgentSphere.Policies.Admission;

/// <summary>Turns an API key (and optionally an end-user id) into the caller id that every limit, quota, cache entry and record is keyed by.</summary>
/// <remarks>
/// The id is the first 128 bits of SHA-256 over the UTF-8 key, in lowercase hex; with an end user it is SHA-256 over the key's
/// digest, a separator and the UTF-8 end-user id. The raw key never leaves this method, so logs, metric labels and Redis keys
/// can carry the id. The same key always gives the same id on every instance, which is what lets instances share counters.
/// </remarks>
public static class CallerIdentity
{
    /// <summary>Characters in a caller id.</summary>
    public const int Length = 32;

    private const int StackLimit = 512;

    /// <summary>The caller id of <paramref name="apiKey"/>, refined by <paramref name="endUser"/> when that is not empty.</summary>
    public static string Compute(ReadOnlySpan<char> apiKey, ReadOnlySpan<char> endUser = default)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        HashUtf8(apiKey, digest);
        if (!endUser.IsEmpty)
        {
            var userBytes = Encoding.UTF8.GetMaxByteCount(endUser.Length);
            var total = digest.Length + 1 + userBytes;
            byte[]? rented = null;
            var buffer = total <= StackLimit ? stackalloc byte[total] : (rented = ArrayPool<byte>.Shared.Rent(total));
            digest.CopyTo(buffer);
            buffer[digest.Length] = 0x1F;
            var written = Encoding.UTF8.GetBytes(endUser, buffer[(digest.Length + 1)..]);
            SHA256.HashData(buffer[..(digest.Length + 1 + written)], digest);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }

        return Convert.ToHexStringLower(digest[..(Length / 2)]);
    }

    private static void HashUtf8(ReadOnlySpan<char> text, Span<byte> digest)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var written = Encoding.UTF8.GetBytes(text, buffer);
        SHA256.HashData(buffer[..written], digest);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
        else
        {
            buffer[..written].Clear();
        }
    }
}
