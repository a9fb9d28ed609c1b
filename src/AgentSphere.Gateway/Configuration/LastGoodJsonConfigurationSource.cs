namespace AgentSphere.Gateway.Configuration;

/// <summary>A watched JSON file whose last good content stays in force when an edit does not parse or the file goes missing.</summary>
internal sealed class LastGoodJsonConfigurationSource(string path, ConfigFileStatus status, TimeProvider timeProvider) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new LastGoodJsonConfigurationProvider(path, status, timeProvider);
}
