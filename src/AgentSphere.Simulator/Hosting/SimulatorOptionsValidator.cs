using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Hosting;

/// <summary>Rejects invalid <see cref="SimulatorOptions"/> at start-up with messages naming the key and the allowed range.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private static readonly Version MinEnvdVersion = new(0, 1, 0);

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = SimulatorOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            failures.Add($"{Section}:Name must not be empty.");
        }

        if (!(options.LatencyScale >= 0) || double.IsInfinity(options.LatencyScale))
        {
            failures.Add($"{Section}:LatencyScale must be a finite number >= 0 (got {options.LatencyScale}).");
        }

        if (options.Capacity < 1)
        {
            failures.Add($"{Section}:Capacity must be >= 1 (got {options.Capacity}).");
        }

        if (options.MaxSandboxes < 1)
        {
            failures.Add($"{Section}:MaxSandboxes must be >= 1 (got {options.MaxSandboxes}).");
        }

        if (options.ApiKeys.Any(string.IsNullOrEmpty))
        {
            failures.Add($"{Section}:ApiKeys must not contain empty keys.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{Section}:ClientId must not be empty.");
        }

        if (!Version.TryParse(options.EnvdVersion, out var envd) || envd < MinEnvdVersion)
        {
            failures.Add($"{Section}:EnvdVersion must be a version >= 0.1.0, e.g. 0.2.0 (got \"{options.EnvdVersion}\").");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
