namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>POST /sandboxes/{id}/timeout</c> and <c>POST /sandboxes/{id}/connect</c>.</summary>
internal sealed class TimeoutRequest
{
    /// <summary>Seconds from now.</summary>
    public int? Timeout { get; init; }
}
