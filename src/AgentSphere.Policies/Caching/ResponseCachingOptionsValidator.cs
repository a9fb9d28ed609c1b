using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Caching;

/// <summary>Checks <see cref="ResponseCachingOptions"/> at start-up; every message names the key and what is allowed.</summary>
internal sealed class ResponseCachingOptionsValidator : IValidateOptions<ResponseCachingOptions>
{
    private const int MaxTtlSeconds = 86_400;

    public ValidateOptionsResult Validate(string? name, ResponseCachingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.DefaultTtlSeconds is < 0 or > MaxTtlSeconds)
        {
            errors.Add($"Caching:DefaultTtlSeconds (env AGENTSPHERE_CACHE_TTL) is {options.DefaultTtlSeconds}; allowed: 0 (cache off) to {MaxTtlSeconds} seconds.");
        }

        foreach (var header in options.EffectiveVaryByHeaders())
        {
            if (header.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                errors.Add($"Caching:VaryByHeaders names '{header}', which is not a header name.");
            }
        }

        var allowed = string.Join(", ", ResponseCachingOptions.CacheableOperations.Select(o => o.GetName()));
        foreach (var (operationName, settings) in options.Operations)
        {
            var key = $"Caching:Operations:{operationName}";
            if (!AgentSphereOperations.TryParse(operationName, out var operation))
            {
                errors.Add($"{key}: unknown operation '{operationName}'; allowed: {allowed}.");
                continue;
            }

            if (!ResponseCachingOptions.CacheableOperations.Contains(operation) && settings?.Enabled == true)
            {
                errors.Add($"{key}:Enabled is true, but {operationName} is not a read that may be cached; allowed: {allowed}.");
            }

            if (settings?.TtlSeconds is { } ttl and (< 1 or > MaxTtlSeconds))
            {
                errors.Add($"{key}:TtlSeconds is {ttl}; allowed: 1 to {MaxTtlSeconds} seconds.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
