using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentSphere.Policies.Caching;

/// <summary>The tags cached responses carry, so a write can evict what it made stale: a tenant's lists, and everything about one sandbox.</summary>
/// <remarks>Tags become Redis keys, so they hold hashes only: the tenant id is already a hash of the API key, and sandbox ids are hashed too.</remarks>
public static class ResponseCacheTags
{
    /// <summary>The tag of a tenant's responses that are not about one sandbox (lists, finds, batch metrics).</summary>
    public static string Lists(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return string.Concat("lists:", tenantId);
    }

    /// <summary>The tag of every response about one sandbox, whoever read it.</summary>
    public static string Sandbox(string sandboxId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sandboxId);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(sandboxId), digest);
        return string.Concat("sandbox:", Convert.ToHexStringLower(digest[..12]));
    }

    /// <summary>The sandbox a path is about: the segment after <c>sandboxes</c> in <c>/sandboxes/{id}/...</c> or <c>/v{n}/sandboxes/{id}/...</c>; none for <c>/sandboxes/metrics</c>.</summary>
    public static bool TryGetSandboxId(PathString path, out string sandboxId)
    {
        sandboxId = string.Empty;
        var value = path.Value.AsSpan().TrimStart('/');
        if (value.Length > 1 && value[0] == 'v' && char.IsAsciiDigit(value[1]))
        {
            var slash = value.IndexOf('/');
            if (slash < 0)
            {
                return false;
            }

            value = value[(slash + 1)..];
        }

        const string Collection = "sandboxes/";
        if (!value.StartsWith(Collection, StringComparison.Ordinal))
        {
            return false;
        }

        value = value[Collection.Length..];
        var end = value.IndexOf('/');
        var id = end < 0 ? value : value[..end];
        if (id.IsEmpty || id.SequenceEqual("metrics"))
        {
            return false;
        }

        sandboxId = id.ToString();
        return true;
    }
}
