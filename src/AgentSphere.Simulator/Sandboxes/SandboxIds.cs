namespace AgentSphere.Simulator.Sandboxes;

/// <summary>Sandbox id rules: 20 lowercase alphanumerics; the SDK also sends <c>{sandboxID}-{clientID}</c>.</summary>
internal static class SandboxIds
{
    public const int Length = 20;

    /// <summary>The sandbox id part of a path segment: everything before the first '-'.</summary>
    public static string Normalize(string segment)
    {
        var dash = segment.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? segment : segment[..dash];
    }

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length != Length)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
