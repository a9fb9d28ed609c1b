namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>POST /sandboxes/{id}/refreshes</c>.</summary>
internal sealed class RefreshRequest
{
    /// <summary>Seconds from now, 0..3600; default 0.</summary>
    public int? Duration { get; init; }
}
