using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Admission;

/// <summary>Checks <see cref="AdmissionOptions"/> at start-up; every message names the key and the allowed values.</summary>
internal sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    private const string Prefix = AdmissionOptions.SectionName + ":";
    private const int MaxCount = 100_000;

    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        var global = options.Global ?? new GlobalAdmissionOptions();
        Range(errors, "Global:MaxConcurrency", global.MaxConcurrency, 1, MaxCount, " (env AGENTSPHERE_CONCURRENT_LIMIT)");
        Range(errors, "Global:QueueLimit", global.QueueLimit, 0, MaxCount);
        Range(errors, "Global:ShedThreshold", global.ShedThreshold, 0, Math.Max(0, global.QueueLimit), " (at most Global:QueueLimit)");
        Duration(errors, "Global:QueueTimeout", global.QueueTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        Duration(errors, "Global:RetryAfter", global.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        foreach (var (operation, limit) in options.Operations ?? [])
        {
            Operation(errors, $"Operations:{operation}", operation);
            Range(errors, $"Operations:{operation}", limit, 1, MaxCount);
        }

        var caller = options.Caller ?? new CallerAdmissionOptions();
        Range(errors, "Caller:MaxConcurrency", caller.MaxConcurrency, 1, MaxCount);
        Duration(errors, "Caller:RetryAfter", caller.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (caller.EndUserHeader is { Length: > 0 } header && !IsToken(header))
        {
            errors.Add($"{Prefix}Caller:EndUserHeader must be an HTTP header name (letters, digits, '-'); got '{header}'.");
        }

        var quota = options.DailyQuota ?? new DailyQuotaOptions();
        Range(errors, "DailyQuota:Limit", quota.Limit, 0, 100_000_000, " (0 turns the quota off)");
        Range(errors, "DailyQuota:ResetHourUtc", quota.ResetHourUtc, 0, 23);
        for (var i = 0; i < (quota.Operations?.Count ?? 0); i++)
        {
            Operation(errors, $"DailyQuota:Operations:{i}", quota.Operations![i]);
        }

        var anonymous = options.AnonymousOperations ?? [];
        for (var i = 0; i < anonymous.Count; i++)
        {
            Operation(errors, $"AnonymousOperations:{i}", anonymous[i]);
        }

        var priorities = options.Priorities ?? new PriorityOptions();
        foreach (var (operation, priority) in priorities.Operations ?? [])
        {
            Operation(errors, $"Priorities:Operations:{operation}", operation);
            if (!RequestPriorities.TryParse(priority, out _))
            {
                errors.Add($"{Prefix}Priorities:Operations:{operation} must be one of {string.Join(", ", RequestPriorities.Names)}; got '{priority}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(priorities.Header) || !IsToken(priorities.Header))
        {
            errors.Add($"{Prefix}Priorities:Header must be an HTTP header name (letters, digits, '-'); got '{priorities.Header}'.");
        }

        var trusted = priorities.TrustedCallers ?? [];
        for (var i = 0; i < trusted.Count; i++)
        {
            if (!IsCallerId(trusted[i]))
            {
                errors.Add($"{Prefix}Priorities:TrustedCallers:{i} must be a caller id: {CallerIdentity.Length} lowercase hex characters, the start of the API key's SHA-256 (never the key itself).");
            }
        }

        var resources = options.Resources ?? new ResourceGuardOptions();
        if (!(resources.CpuWaitPercent > 0 && resources.CpuWaitPercent <= 100))
        {
            errors.Add($"{Prefix}Resources:CpuWaitPercent must be above 0 and at most 100; got {resources.CpuWaitPercent}.");
        }

        if (!(resources.CpuShedPercent >= resources.CpuWaitPercent && resources.CpuShedPercent <= 100))
        {
            errors.Add($"{Prefix}Resources:CpuShedPercent must be between Resources:CpuWaitPercent ({resources.CpuWaitPercent}) and 100; got {resources.CpuShedPercent}.");
        }

        Range(errors, "Resources:MaxHeapMegabytes", resources.MaxHeapMegabytes, 16, 1_048_576);
        Duration(errors, "Resources:SampleInterval", resources.SampleInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max, string note = "")
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{key}{note} must be between {min} and {max}; got {value}.");
        }
    }

    private static void Duration(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{key} must be between {min} and {max} (hh:mm:ss); got {value}.");
        }
    }

    private static void Operation(List<string> errors, string key, string? operation)
    {
        if (!AgentSphereOperations.TryParse(operation, out _))
        {
            errors.Add($"{Prefix}{key}: '{operation}' is not an operation; allowed: {string.Join(", ", AgentSphereOperations.Names)}.");
        }
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    private static bool IsCallerId(string? value)
    {
        if (value is not { Length: CallerIdentity.Length })
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
