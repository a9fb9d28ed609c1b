using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Names the configuration source a key's value came from, so a start-up error points at the file, variable or switch to fix.</summary>
/// <remarks>
/// Sources are layered and the last one holding a key wins, so the providers are walked from last to first and the
/// first holding the key (or, for a section such as <c>LoadBalancing:Weights</c>, any key below it) is named. Only the
/// source is named, never the value: it may be a password or a token.
/// </remarks>
internal static partial class ConfigurationOrigins
{
    /// <summary>Where the value of <paramref name="key"/> comes from, such as <c>file /etc/gateway/config/gateway.json</c>.</summary>
    public static string Describe(IConfigurationRoot root, string key)
    {
        ArgumentNullException.ThrowIfNull(root);
        var providers = root.Providers.ToList();
        for (var i = providers.Count - 1; i >= 0; i--)
        {
            var provider = providers[i];
            if (provider.TryGet(key, out _) || provider.GetChildKeys([], key).Any())
            {
                return DescribeProvider(provider, key);
            }
        }

        return "not set, the built-in default";
    }

    /// <summary>Appends the source of the key <paramref name="message"/> starts with (<c>Section:Key ...</c>); other messages are returned as they are.</summary>
    public static string Annotate(IConfigurationRoot root, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Contains("Source of ", StringComparison.Ordinal))
        {
            return message;
        }

        // The key the message starts with; failing that, the gateway's keys it mentions (Redis:Required, ...).
        var match = LeadingKey().Match(message);
        var keys = match.Success
            ? [match.Value]
            : MentionedKey().Matches(message).Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(k => GatewayConfigurationSections.All.Any(s => k.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)))
                .ToList();
        if (keys.Count == 0)
        {
            return message;
        }

        var separator = message.EndsWith('.') ? " " : ". ";
        return $"{message}{separator}{string.Join(" ", keys.Select(k => $"Source of {k}: {Describe(root, k)}."))}";
    }

    private static string DescribeProvider(IConfigurationProvider provider, string key) => provider switch
    {
        DescribedMemoryConfigurationProvider described => described.DescribeOrigin(key),
        LastGoodJsonConfigurationProvider lastGood => $"file {lastGood.FilePath}",
        JsonConfigurationProvider json => $"file {FullPath(json.Source)}",
        EnvironmentVariablesConfigurationProvider environment => $"environment variable {EnvironmentPrefix(environment)}{key.Replace(":", "__", StringComparison.Ordinal)}",
        CommandLineConfigurationProvider => "the command line",
        _ => provider.ToString() ?? provider.GetType().Name,
    };

    private static string FullPath(FileConfigurationSource source) =>
        source.FileProvider is PhysicalFileProvider physical && source.Path is { } path ? Path.Combine(physical.Root, path) : source.Path ?? "(unknown file)";

    // The framework's ToString is "EnvironmentVariablesConfigurationProvider Prefix: 'ASPNETCORE_'".
    private static string EnvironmentPrefix(EnvironmentVariablesConfigurationProvider provider) =>
        EnvironmentPrefixPattern().Match(provider.ToString()) is { Success: true } match ? match.Groups[1].Value : string.Empty;

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.\-]*(?::[A-Za-z0-9_.\-]+)+")]
    private static partial Regex LeadingKey();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*(?::[A-Za-z0-9_.\-]*[A-Za-z0-9])+")]
    private static partial Regex MentionedKey();

    [GeneratedRegex(@"Prefix: '([^']*)'")]
    private static partial Regex EnvironmentPrefixPattern();
}
