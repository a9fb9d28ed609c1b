using System.Globalization;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Caching;

/// <summary>Checks <see cref="ResponseCacheStoreOptions"/> at start-up; every message names the key and the allowed range.</summary>
internal sealed class ResponseCacheStoreOptionsValidator : IValidateOptions<ResponseCacheStoreOptions>
{
    private const string Prefix = ResponseCacheStoreOptions.SectionName + ":";
    private const int MaxEntries = 10_000_000;
    private const long MinTierBytes = 1024;
    private const long MaxTierBytes = 64L * 1024 * 1024 * 1024;
    private const int MaxEntryBytesLimit = 64 * 1024 * 1024;
    private static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, ResponseCacheStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, nameof(options.MaxEntryBytes), options.MaxEntryBytes, 1, MaxEntryBytesLimit);
        Tier(errors, "L1", options.L1MaxEntries, options.L1MaxBytes, options.L1MaxLifetime, options.MaxEntryBytes);
        Tier(errors, "L2", options.L2MaxEntries, options.L2MaxBytes, options.L2MaxLifetime, options.MaxEntryBytes);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Tier(List<string> errors, string tier, int maxEntries, long maxBytes, TimeSpan maxLifetime, int maxEntryBytes)
    {
        Range(errors, tier + "MaxEntries", maxEntries, 1, MaxEntries);

        // A tier smaller than one allowed entry would take the entry and evict it at once.
        var minBytes = Math.Max(MinTierBytes, maxEntryBytes);
        Range(errors, tier + "MaxBytes", maxBytes, minBytes, MaxTierBytes, minBytes > MinTierBytes ? $" (at least {Prefix}MaxEntryBytes)" : string.Empty);
        if (maxLifetime < MinLifetime || maxLifetime > MaxLifetime)
        {
            errors.Add($"{Prefix}{tier}MaxLifetime must be between {Format(MinLifetime)} and {Format(MaxLifetime)} (d.hh:mm:ss); got {Format(maxLifetime)}.");
        }
    }

    private static void Range(List<string> errors, string key, long value, long min, long max, string note = "")
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{key} must be between {min} and {max}{note}; got {value}."));
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
