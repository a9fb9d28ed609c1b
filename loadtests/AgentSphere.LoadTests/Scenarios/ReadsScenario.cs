using System.Globalization;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary>A stateless read mix: half <c>GET /sandboxes</c> (list), half a metadata lookup of one of 20 users (find).</summary>
/// <remarks>Stateless, so it gives the same load against independent backends that share nothing.</remarks>
internal sealed class ReadsScenario(Random random) : Scenario
{
    public const string ScenarioName = "reads";

    private const int Users = 20;

    private static readonly ScenarioRequest List = new("list", HttpMethod.Get, "/sandboxes");

    private static readonly ScenarioRequest[] Finds = [.. Enumerable.Range(1, Users).Select(user =>
        new ScenarioRequest("find", HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"/sandboxes?metadata=userId%3Du{user}")))];

    public override string Name => ScenarioName;

    public override IReadOnlyList<string> Operations { get; } = ["list", "find"];

    public override ScenarioRequest Next() => random.Next(2) == 0 ? List : Finds[random.Next(Users)];
}
