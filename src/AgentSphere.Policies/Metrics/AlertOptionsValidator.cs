using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Metrics;

/// <summary>Checks <see cref="AlertOptions"/> at start-up; every message names the key and the allowed values.</summary>
internal sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    private const string Prefix = AlertOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        var minInterval = TimeSpan.FromSeconds(1);
        var maxInterval = TimeSpan.FromHours(1);
        if (options.EvaluationInterval < minInterval || options.EvaluationInterval > maxInterval)
        {
            errors.Add($"{Prefix}EvaluationInterval must be between {minInterval} and {maxInterval} (hh:mm:ss); got {options.EvaluationInterval}.");
        }

        if (options.HistorySize is < 1 or > 10_000)
        {
            errors.Add($"{Prefix}HistorySize must be between 1 and 10000; got {options.HistorySize}.");
        }

        if (!(options.HysteresisPercent is >= 0 and <= 50))
        {
            errors.Add($"{Prefix}HysteresisPercent must be between 0 and 50; got {options.HysteresisPercent}.");
        }

        foreach (var metric in AlertMetrics.All)
        {
            Thresholds(errors, metric, options.GetThresholds(metric));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Thresholds(List<string> errors, AlertMetric metric, AlertThresholds? thresholds)
    {
        var key = $"{Prefix}{metric}";
        if (thresholds is null)
        {
            errors.Add($"{key} must set Warning, Critical and Emergency.");
            return;
        }

        if (!(thresholds.Warning > 0 && double.IsFinite(thresholds.Warning)))
        {
            errors.Add($"{key}:Warning must be a number above 0 ({metric.GetUnit()}); got {thresholds.Warning}.");
        }

        if (!(thresholds.Critical > thresholds.Warning && double.IsFinite(thresholds.Critical)))
        {
            errors.Add($"{key}:Critical must be greater than {key}:Warning ({thresholds.Warning}); got {thresholds.Critical}.");
        }

        if (!(thresholds.Emergency > thresholds.Critical && double.IsFinite(thresholds.Emergency)))
        {
            errors.Add($"{key}:Emergency must be greater than {key}:Critical ({thresholds.Critical}); got {thresholds.Emergency}.");
        }

        if (metric.GetUnit() == "%" && thresholds.Emergency > 100)
        {
            errors.Add($"{key}:Emergency must be at most 100 (%); got {thresholds.Emergency}.");
        }
    }
}
