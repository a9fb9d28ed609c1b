using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Checks every <see cref="AgentSphereOptions"/> value against its documented range.</summary>
internal sealed class AgentSphereOptionsValidator : IValidateOptions<AgentSphereOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentSphereOptions options)
    {
        var errors = new List<string>();
        Range(errors, nameof(AgentSphereOptions.TimeoutMs), options.TimeoutMs, 1_000, 600_000, "ms");
        Range(errors, nameof(AgentSphereOptions.RetryAttempts), options.RetryAttempts, 0, 10, "retries");
        Range(errors, nameof(AgentSphereOptions.HealthCheckIntervalMs), options.HealthCheckIntervalMs, 1_000, 3_600_000, "ms");
        Range(errors, nameof(AgentSphereOptions.BatchSize), options.BatchSize, 1, 100, "items");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string property, int value, int min, int max, string unit)
    {
        if (value < min || value > max)
        {
            var key = SeedEnvironmentVariables.Describe($"{AgentSphereOptions.SectionName}:{property}");
            errors.Add($"{key} must be between {min} and {max} {unit}; got {value}.");
        }
    }
}
