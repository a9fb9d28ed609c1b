using System.Collections;
using System.Globalization;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Maps the seed report's <c>AGENTSPHERE_*</c> environment variables onto configuration keys (mostly <see cref="AgentSphereOptions"/>; the concurrency limit is the admission layer's global limit).</summary>
public static class SeedEnvironmentVariables
{
    /// <summary>Each environment variable and the configuration key it overrides.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AGENTSPHERE_TIMEOUT"] = "AgentSphere:TimeoutMs",
        ["AGENTSPHERE_CONCURRENT_LIMIT"] = "Admission:Global:MaxConcurrency",
        ["AGENTSPHERE_CACHE_TTL"] = "Caching:DefaultTtlSeconds",
        ["AGENTSPHERE_RETRY_ATTEMPTS"] = "AgentSphere:RetryAttempts",
        ["AGENTSPHERE_HEALTH_CHECK_INTERVAL"] = "AgentSphere:HealthCheckIntervalMs",
        ["AGENTSPHERE_BATCH_SIZE"] = "AgentSphere:BatchSize",
    };

    /// <summary>Reads the variables that are set; a value that is not an integer stops start-up with the variable's name.</summary>
    public static Dictionary<string, string?> Read(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Keys)
        {
            if (environment[variable] is not string raw || raw.Length == 0)
            {
                continue;
            }

            if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw new GatewayConfigurationException($"{variable} (sets {key}) must be an integer; got '{raw}'.");
            }

            values[key] = value.ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    /// <summary>The <c>AGENTSPHERE_*</c> variable that sets <paramref name="key"/>, or the key itself when none does.</summary>
    internal static string VariableOf(string key) =>
        Keys.FirstOrDefault(p => string.Equals(p.Value, key, StringComparison.OrdinalIgnoreCase)).Key ?? key;

    /// <summary>The environment variable behind <paramref name="key"/>, for error messages.</summary>
    internal static string Describe(string key)
    {
        foreach (var (variable, mapped) in Keys)
        {
            if (string.Equals(mapped, key, StringComparison.OrdinalIgnoreCase))
            {
                return $"{key} (env {variable})";
            }
        }

        return key;
    }
}
