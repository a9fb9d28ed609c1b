using System.Diagnostics.CodeAnalysis;

namespace AgentSphere.Simulator.Api;

/// <summary>E2B's sandbox timeout rules: seconds, default 15, at most 50 hours.</summary>
internal static class TimeoutRules
{
    public const int DefaultSeconds = 15;
    public const int MaxSeconds = 50 * 60 * 60;

    public static bool TryValidate(int? seconds, out TimeSpan timeout, [NotNullWhen(false)] out string? error)
    {
        var value = seconds ?? DefaultSeconds;
        timeout = TimeSpan.FromSeconds(value);
        error = value switch
        {
            > MaxSeconds => "Timeout cannot be greater than 50 hours",
            < 0 => "Timeout cannot be negative",
            _ => null,
        };
        return error is null;
    }
}
