namespace AgentSphere.LoadTests.Workloads;

/// <summary>The operation names of the reports: the gateway's names for the seed's methods.</summary>
internal static class OperationNames
{
    /// <summary><c>GET /sandboxes</c> (seed <c>listActiveSandboxes</c>).</summary>
    public const string List = "list";

    /// <summary><c>GET /sandboxes?metadata=userId%3D...</c> (seed <c>findUserSandbox</c>).</summary>
    public const string Find = "find";

    /// <summary><c>GET /sandboxes/{id}</c> (seed <c>connectToSandbox</c>).</summary>
    public const string Connect = "connect";

    /// <summary><c>POST /sandboxes</c> (seed <c>deployProject</c>).</summary>
    public const string Deploy = "deploy";

    /// <summary><c>GET /sandboxes/{id}/metrics</c> (seed <c>monitorDeployment</c>).</summary>
    public const string Monitor = "monitor";

    /// <summary><c>DELETE /sandboxes/{id}</c> (seed <c>cleanupSingleSandbox</c>).</summary>
    public const string Cleanup = "cleanup";

    /// <summary>All six, in the seed's table order as the reports print them.</summary>
    public static IReadOnlyList<string> All { get; } = [List, Find, Connect, Deploy, Monitor, Cleanup];

    /// <summary>
    /// The operations the overall figures cover: the request/response reads. Deploy (seconds) and cleanup (seconds) have
    /// their own targets and would otherwise decide the overall P99 on their own; the seed's "P99 &lt; 800 ms overall" can
    /// only describe these four, since its deploy P50 alone is 15 s.
    /// </summary>
    public static IReadOnlyList<string> Interactive { get; } = [List, Find, Connect, Monitor];
}
