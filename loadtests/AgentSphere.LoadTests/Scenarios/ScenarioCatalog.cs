namespace AgentSphere.LoadTests.Scenarios;

/// <summary>The scenarios known by name on the command line.</summary>
internal static class ScenarioCatalog
{
    private static readonly Scenario[] All =
    [
        new ReadsScenario(),
        new MethodsScenario(),
        new ConcurrencyScenario(),
        new RampScenario(),
        new StabilityScenario(),
        new CapacityScenario(),
    ];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    /// <summary>Name and one-line summary of each scenario, for the usage text.</summary>
    public static IEnumerable<(string Name, string Summary)> Summaries => All.Select(s => (s.Name, s.Summary));

    /// <summary>The named scenario, or null if the name is unknown.</summary>
    public static Scenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
