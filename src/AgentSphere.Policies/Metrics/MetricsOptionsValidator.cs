using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Metrics;

/// <summary>Checks <see cref="MetricsOptions"/> at start-up; every message names the key and the allowed values.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    /// <summary>The shortest window allowed.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(5);

    /// <summary>The longest window allowed (each second of it holds up to 56 KB of counters).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var window = options.Window;
        if (window < MinWindow || window > MaxWindow || window.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return ValidateOptionsResult.Fail(
                $"{MetricsOptions.SectionName}:Window must be whole seconds between {MinWindow} and {MaxWindow} (hh:mm:ss); got {window}.");
        }

        return ValidateOptionsResult.Success;
    }
}
