namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>The browser tests: one shared chromium, run after the parallel tests and alone, because a browser on two cores would slow the timing-sensitive tests and their own waits.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumBrowser>
{
    public const string Name = "Browser";
}
