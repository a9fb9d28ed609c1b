using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>Checks every <see cref="RedisOptions"/> value against its documented range.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    private const string Prefix = RedisOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.IsConfigured && !CanParse(options.Configuration!))
        {
            // The value itself is left out: it may carry a password.
            errors.Add($"{Prefix}:{nameof(options.Configuration)} is not a valid StackExchange.Redis configuration string (for example 127.0.0.1:6379,password=...,ssl=true).");
        }

        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            errors.Add($"{Prefix}:{nameof(options.KeyPrefix)} must be non-empty and contain no white space; got '{options.KeyPrefix}'.");
        }

        CheckPositive(errors, nameof(options.OperationTimeout), options.OperationTimeout);
        CheckPositive(errors, nameof(options.RetryInterval), options.RetryInterval);
        if (options.LeaseTtl < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Prefix}:{nameof(options.LeaseTtl)} must be at least 00:00:01 (1 s); got {Format(options.LeaseTtl)}.");
        }

        if (double.IsNaN(options.FallbackShare) || options.FallbackShare <= 0 || options.FallbackShare > 1)
        {
            errors.Add($"{Prefix}:{nameof(options.FallbackShare)} must be greater than 0 and at most 1; got {options.FallbackShare.ToString(CultureInfo.InvariantCulture)}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckPositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}:{key} must be greater than 00:00:00; got {Format(value)}.");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static bool CanParse(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
