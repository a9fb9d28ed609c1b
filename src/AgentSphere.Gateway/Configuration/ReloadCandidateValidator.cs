namespace AgentSphere.Gateway.Configuration;

/// <summary>Validates a reloaded file's content together with every other configuration source, as the options would see it if it were accepted.</summary>
internal sealed class ReloadCandidateValidator(IConfigurationRoot root, IServiceProvider services, string path)
{
    /// <summary>Null when <paramref name="candidate"/> may replace the file's content, else every problem, each naming its key.</summary>
    public string? Validate(IReadOnlyDictionary<string, string?> candidate)
    {
        // The sources in their order, the file's slot holding the candidate: later sources still win.
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in root.Providers)
        {
            if (provider is LastGoodJsonConfigurationProvider file && string.Equals(file.FilePath, path, StringComparison.Ordinal))
            {
                foreach (var (key, value) in candidate)
                {
                    merged[key] = value;
                }

                continue;
            }

            Copy(provider, parentPath: null, merged);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(merged).Build();
        var errors = GatewayConfigurationSections.Validate(configuration, services);
        return errors.Count == 0 ? null : string.Join(" ", errors);
    }

    private static void Copy(IConfigurationProvider provider, string? parentPath, Dictionary<string, string?> into)
    {
        foreach (var child in provider.GetChildKeys([], parentPath).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var key = parentPath is null ? child : ConfigurationPath.Combine(parentPath, child);
            if (provider.TryGet(key, out var value))
            {
                into[key] = value;
            }

            Copy(provider, key, into);
        }
    }
}
