namespace AgentSphere.Simulator.Api;

/// <summary>Operation names: the latency profile keys and the keys of <see cref="SimulatorServer.GetRequestCount"/>.</summary>
internal static class OperationNames
{
    /// <summary>GET /sandboxes and GET /v2/sandboxes without a metadata filter.</summary>
    public const string List = "list";

    /// <summary>The list endpoints with a metadata filter.</summary>
    public const string Find = "find";

    /// <summary>GET /sandboxes/{id}, POST connect, POST resume.</summary>
    public const string Connect = "connect";

    /// <summary>POST /sandboxes.</summary>
    public const string Deploy = "deploy";

    /// <summary>Metrics and logs.</summary>
    public const string Monitor = "monitor";

    /// <summary>DELETE /sandboxes/{id}.</summary>
    public const string Cleanup = "cleanup";

    /// <summary>POST timeout and refreshes.</summary>
    public const string KeepAlive = "keepalive";

    /// <summary>POST pause.</summary>
    public const string Lifecycle = "lifecycle";

    /// <summary>GET /health.</summary>
    public const string Health = "health";

    public static IReadOnlyList<string> All { get; } = [List, Find, Connect, Deploy, Monitor, Cleanup, KeepAlive, Lifecycle, Health];
}
