using System.Globalization;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Checks every <see cref="ScoredLoadBalancingOptions"/> value against its documented range.</summary>
internal sealed class ScoredLoadBalancingOptionsValidator : IValidateOptions<ScoredLoadBalancingOptions>
{
    private const string Prefix = ScoredLoadBalancingOptions.SectionName;
    private const double WeightSumTolerance = 0.01;
    private const double MinWeightSum = 0.01;

    public ValidateOptionsResult Validate(string? name, ScoredLoadBalancingOptions options)
    {
        var errors = new List<string>();
        Weights(errors, options.Weights);
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

    // The weights are shares of the score (the seed's sum to 1). A term may be switched off with 0, so the sum may fall
    // below 1, but a sum above 1 means percentages (30 for 0.3) or a share counted twice.
    private static void Weights(List<string> errors, ScoreWeights? weights)
    {
        weights ??= new ScoreWeights();
        double[] values = [weights.Cpu, weights.Memory, weights.Latency, weights.Queue, weights.Compatibility];
        string[] names = [nameof(weights.Cpu), nameof(weights.Memory), nameof(weights.Latency), nameof(weights.Queue), nameof(weights.Compatibility)];
        var valid = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || values[i] < 0 || values[i] > 1)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}:Weights:{names[i]} must be a number between 0 and 1 (a share of the score); got {values[i]}."));
                valid = false;
            }
        }

        var sum = values.Sum();
        if (valid && (sum < MinWeightSum || sum > 1 + WeightSumTolerance))
        {
            var listed = string.Join(", ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n}={values[i]}")));
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{Prefix}:Weights must sum to at most 1 (±{WeightSumTolerance}) and not all be 0, like the seed's 0.3/0.2/0.2/0.2/0.1; got a sum of {Math.Round(sum, 4)} ({listed})."));
        }
    }

    private static void Check(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add($"{Prefix}:{key} must be between {min} and {max}; got {value}.");
        }
    }
}
