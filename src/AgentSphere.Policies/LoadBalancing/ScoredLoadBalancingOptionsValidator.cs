using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Checks every <see cref="ScoredLoadBalancingOptions"/> value against its documented range.</summary>
internal sealed class ScoredLoadBalancingOptionsValidator : IValidateOptions<ScoredLoadBalancingOptions>
{
    private const string Prefix = ScoredLoadBalancingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ScoredLoadBalancingOptions options)
    {
        var errors = new List<string>();
        var w = options.Weights;
        Check(errors, "Weights:Cpu", w.Cpu, 0, 10);
        Check(errors, "Weights:Memory", w.Memory, 0, 10);
        Check(errors, "Weights:Latency", w.Latency, 0, 10);
        Check(errors, "Weights:Queue", w.Queue, 0, 10);
        Check(errors, "Weights:Compatibility", w.Compatibility, 0, 10);
        if (w.Cpu + w.Memory + w.Latency + w.Queue + w.Compatibility <= 0)
        {
            errors.Add($"{Prefix}:Weights must not all be 0: the score would not tell destinations apart.");
        }

        Check(errors, nameof(options.Choices), options.Choices, 2, 10);
        Check(errors, nameof(options.MaxReportAgeMs), options.MaxReportAgeMs, 100, 600_000);
        Check(errors, nameof(options.LatencyDecayMs), options.LatencyDecayMs, 100, 600_000);
        Check(errors, nameof(options.ReportTolerance), options.ReportTolerance, 0, 1);
        Check(errors, nameof(options.LatencyTolerance), options.LatencyTolerance, 0, 10);
        Check(errors, nameof(options.FailureLatencyMs), options.FailureLatencyMs, 0, 600_000);
        Check(errors, nameof(options.ErrorSmoothing), options.ErrorSmoothing, 0.01, 1);
        Check(errors, nameof(options.ErrorDecayMs), options.ErrorDecayMs, 100, 600_000);
        Check(errors, nameof(options.ErrorPenalty), options.ErrorPenalty, 0, 1);
        Check(errors, nameof(options.SlowStartMs), options.SlowStartMs, 0, 600_000);
        Check(errors, nameof(options.SlowStartInitialFactor), options.SlowStartInitialFactor, 0.01, 1);
        Check(errors, nameof(options.FailureWindowMs), options.FailureWindowMs, 1_000, 600_000);
        Check(errors, nameof(options.ConsecutiveFailures), options.ConsecutiveFailures, 1, 1_000);
        Check(errors, nameof(options.FailureMinRequests), options.FailureMinRequests, 1, 100_000);
        Check(errors, nameof(options.FailureRateThreshold), options.FailureRateThreshold, 0.01, 1);
        Check(errors, nameof(options.DefaultReactivationMs), options.DefaultReactivationMs, 1_000, 3_600_000);
        Check(errors, nameof(options.MaxEjectionPercent), options.MaxEjectionPercent, 1, 100);
        Check(errors, nameof(options.ConsecutiveProbeFailures), options.ConsecutiveProbeFailures, 1, 100);
        foreach (var (operation, ceiling) in options.LatencyCeilingsMs)
        {
            if (!AgentSphereOperations.TryParse(operation, out _))
            {
                errors.Add($"{Prefix}:LatencyCeilingsMs:{operation} names no operation; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
            }

            Check(errors, $"LatencyCeilingsMs:{operation}", ceiling, 100, 600_000);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add($"{Prefix}:{key} must be between {min} and {max}; got {value}.");
        }
    }
}
