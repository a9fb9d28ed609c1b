using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The position of the last item of a page in the listing order (startedAt descending, then id ascending).</summary>
/// <remarks>
/// The cursor names a position, not an offset, so walking the pages never repeats or skips an item that exists for the
/// whole walk, even when other sandboxes are created or deleted meanwhile. On the wire it is base64url("ticks:id").
/// </remarks>
internal readonly record struct SandboxPageCursor(long StartedAtTicks, string Id)
{
    /// <summary>True when <paramref name="sandbox"/> sorts after this position.</summary>
    public bool Precedes(SandboxInfo sandbox) =>
        sandbox.StartedAt.UtcTicks < StartedAtTicks
        || (sandbox.StartedAt.UtcTicks == StartedAtTicks && string.CompareOrdinal(sandbox.Id, Id) > 0);

    public static SandboxPageCursor After(SandboxInfo sandbox) => new(sandbox.StartedAt.UtcTicks, sandbox.Id);

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{StartedAtTicks}:{Id}")));

    public static bool TryDecode(string? token, [NotNullWhen(true)] out SandboxPageCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(token) || token.Length > 200 || !Base64Url.IsValid(token))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !SandboxIds.IsValid(text.AsSpan(colon + 1)))
        {
            return false;
        }

        cursor = new SandboxPageCursor(ticks, text[(colon + 1)..]);
        return true;
    }
}
