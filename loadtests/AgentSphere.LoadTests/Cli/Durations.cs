using System.Globalization;

namespace AgentSphere.LoadTests.Cli;

/// <summary>Parses and prints the short durations of the command line: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>; a bare number is seconds.</summary>
internal static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        var value = text.Trim();
        var (number, unit) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (value[..^2], TimeSpan.FromMilliseconds(1)),
            _ when value.EndsWith('s') || value.EndsWith('S') => (value[..^1], TimeSpan.FromSeconds(1)),
            _ when value.EndsWith('m') || value.EndsWith('M') => (value[..^1], TimeSpan.FromMinutes(1)),
            _ when value.EndsWith('h') || value.EndsWith('H') => (value[..^1], TimeSpan.FromHours(1)),
            _ => (value, TimeSpan.FromSeconds(1)),
        };

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || double.IsInfinity(amount))
        {
            throw new UsageException($"{option}: '{text}' is not a duration (examples: 500ms, 30s, 2m, 1h).");
        }

        return unit * amount;
    }

    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.###}m"),
    };
}
