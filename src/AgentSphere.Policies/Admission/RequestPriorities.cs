using System.Diagnostics.CodeAnalysis;

namespace AgentSphere.Policies.Admission;

/// <summary>Names of <see cref="RequestPriority"/> as they appear in configuration, headers and metric labels.</summary>
public static class RequestPriorities
{
    /// <summary>The number of priorities.</summary>
    public const int Count = 4;

    private static readonly string[] NamesByValue = ["critical", "high", "normal", "low"];

    /// <summary>Every priority name, most urgent first.</summary>
    public static IReadOnlyList<string> Names { get; } = NamesByValue;

    /// <summary>The configuration name of <paramref name="priority"/>, for example <c>high</c>.</summary>
    public static string GetName(this RequestPriority priority)
    {
        var index = (int)priority;
        return (uint)index < (uint)NamesByValue.Length ? NamesByValue[index] : throw new ArgumentOutOfRangeException(nameof(priority));
    }

    /// <summary>Parses a priority name (case-insensitive, surrounding white space ignored).</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out RequestPriority priority)
    {
        var trimmed = name.AsSpan().Trim();
        for (var i = 0; i < NamesByValue.Length; i++)
        {
            if (trimmed.Equals(NamesByValue[i], StringComparison.OrdinalIgnoreCase))
            {
                priority = (RequestPriority)i;
                return true;
            }
        }

        priority = RequestPriority.Normal;
        return false;
    }
}
