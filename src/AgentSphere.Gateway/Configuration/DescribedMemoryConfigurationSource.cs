namespace AgentSphere.Gateway.Configuration;

/// <summary>In-memory configuration whose values an error message can trace back to where they came from (defaults, AGENTSPHERE_* variables, switches).</summary>
internal sealed class DescribedMemoryConfigurationSource(IDictionary<string, string?> data, Func<string, string> describe) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new DescribedMemoryConfigurationProvider(data, describe);
}

/// <summary>The provider of <see cref="DescribedMemoryConfigurationSource"/>.</summary>
internal sealed class DescribedMemoryConfigurationProvider : ConfigurationProvider
{
    private readonly Func<string, string> _describe;

    public DescribedMemoryConfigurationProvider(IDictionary<string, string?> data, Func<string, string> describe)
    {
        _describe = describe;
        foreach (var (key, value) in data)
        {
            Data[key] = value;
        }
    }

    /// <summary>Where <paramref name="key"/>'s value came from, for error messages.</summary>
    public string DescribeOrigin(string key) => _describe(key);
}
