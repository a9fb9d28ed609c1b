using System.Globalization;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>A stateless read mix: half <c>GET /sandboxes</c> (list), half a metadata lookup of one of 20 users (find).</summary>
/// <remarks>
/// Stateless, so it gives the same load against independent backends that share nothing. Callers take turns in
/// arrival order (round-robin), so each one sees the same share of the load.
/// </remarks>
internal sealed class ReadsWorkload(Random random, CallerSet callers) : Workload
{
    private const int Users = 20;

    private static readonly string[] FindPaths = [.. Enumerable.Range(1, Users).Select(user =>
        string.Create(CultureInfo.InvariantCulture, $"/sandboxes?metadata=userId%3Du{user}"))];

    private long _arrivals;

    public override IReadOnlyList<string> Operations { get; } = [OperationNames.List, OperationNames.Find];

    public override WorkloadRequest Next()
    {
        var key = callers.KeyOf((int)(_arrivals++ % callers.Count));
        return random.Next(2) == 0
            ? new WorkloadRequest(OperationNames.List, HttpMethod.Get, "/sandboxes", key)
            : new WorkloadRequest(OperationNames.Find, HttpMethod.Get, FindPaths[random.Next(Users)], key);
    }
}
