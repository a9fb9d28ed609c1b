using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Api;

/// <summary>Parses and validates query parameters, producing precise 400 messages.</summary>
internal static class QueryParser
{
    public static readonly IReadOnlySet<SandboxState> RunningOnly = new[] { SandboxState.Running }.ToFrozenSet();

    public static readonly IReadOnlySet<SandboxState> RunningAndPaused = new[] { SandboxState.Running, SandboxState.Paused }.ToFrozenSet();

    /// <summary>Parses <c>state</c>, comma-separated and/or repeated (running, paused); absent gives the defaults.</summary>
    public static bool TryParseStates(HttpRequest request, IReadOnlySet<SandboxState> defaults, [NotNullWhen(true)] out IReadOnlySet<SandboxState>? states, [NotNullWhen(false)] out string? error)
    {
        HashSet<SandboxState>? parsed = null;
        foreach (var value in request.Query["state"])
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                SandboxState state;
                if (string.Equals(part, "running", StringComparison.OrdinalIgnoreCase))
                {
                    state = SandboxState.Running;
                }
                else if (string.Equals(part, "paused", StringComparison.OrdinalIgnoreCase))
                {
                    state = SandboxState.Paused;
                }
                else
                {
                    states = null;
                    error = $"Invalid state \"{part}\": expected running or paused";
                    return false;
                }

                (parsed ??= []).Add(state);
            }
        }

        states = parsed ?? defaults;
        error = null;
        return true;
    }

    /// <summary>Parses an optional integer parameter that must lie in [min, max].</summary>
    public static bool TryParseInt64(HttpRequest request, string name, long min, long max, out long? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = $"Invalid {name} \"{text}\": expected an integer";
            return false;
        }

        if (parsed < min || parsed > max)
        {
            error = $"{name} must be between {min} and {max}";
            return false;
        }

        value = parsed;
        return true;
    }
}
