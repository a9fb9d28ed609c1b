using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Resilience;

/// <summary>Checks <see cref="ResilienceOptions"/> at start-up; every message names the key and what is allowed.</summary>
internal sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (operation, timeout) in options.OperationTimeoutsMs)
        {
            if (!AgentSphereOperations.TryParse(operation, out _))
            {
                errors.Add($"Resilience:OperationTimeoutsMs:{operation}: unknown operation; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
            }
            else if (timeout is < 1000 or > 600_000)
            {
                errors.Add($"Resilience:OperationTimeoutsMs:{operation} is {timeout}; allowed: 1000 to 600000 ms.");
            }
        }

        foreach (var (operation, timeout) in options.AttemptTimeoutsMs)
        {
            if (!AgentSphereOperations.TryParse(operation, out _))
            {
                errors.Add($"Resilience:AttemptTimeoutsMs:{operation}: unknown operation; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
            }
            else if (timeout is not 0 and (< 50 or > 600_000))
            {
                errors.Add($"Resilience:AttemptTimeoutsMs:{operation} is {timeout}; allowed: 0 (no per-attempt timeout) or 50 to 600000 ms.");
            }
        }

        Range(errors, "Resilience:RetryBudgetPercent", options.RetryBudgetPercent, 0, 100, "%");
        Range(errors, "Resilience:RetryBudgetReserve", options.RetryBudgetReserve, 0, 1000, "retries");
        Range(errors, "Resilience:RetryBaseDelayMs", options.RetryBaseDelayMs, 0, 10_000, "ms");
        Range(errors, "Resilience:IdempotencyRetention", options.IdempotencyRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Range(errors, "Resilience:IdempotencyLease", options.IdempotencyLease, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
        Range(errors, "Resilience:IdempotencyMaxBodyBytes", options.IdempotencyMaxBodyBytes, 1024, 16 * 1024 * 1024, "bytes");
        Range(errors, "Resilience:IdempotencyMaxResponseBytes", options.IdempotencyMaxResponseBytes, 1024, 16 * 1024 * 1024, "bytes");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, double value, double min, double max, string unit)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add($"{key} is {value}; allowed: {min} to {max} {unit}.");
        }
    }

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; allowed: {min} to {max}.");
        }
    }
}
