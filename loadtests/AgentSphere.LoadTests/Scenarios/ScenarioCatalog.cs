namespace AgentSphere.LoadTests.Scenarios;

/// <summary>The scenarios known by name on the command line.</summary>
internal static class ScenarioCatalog
{
    private static readonly Dictionary<string, Func<Random, Scenario>> Factories = new(StringComparer.Ordinal)
    {
        [ReadsScenario.ScenarioName] = random => new ReadsScenario(random),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    /// <summary>Creates the named scenario with its random source seeded by <paramref name="seed"/>; null if the name is unknown.</summary>
    public static Scenario? Create(string name, int seed) =>
        Factories.TryGetValue(name, out var factory) ? factory(new Random(seed)) : null;
}
