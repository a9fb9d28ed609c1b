namespace AgentSphere.Simulator.Api;

/// <summary>Body of <c>POST /sandboxes/{id}/resume</c>.</summary>
internal sealed class ResumeRequest
{
    /// <summary>Seconds from now; default 15.</summary>
    public int? Timeout { get; init; }

    public bool? AutoPause { get; init; }
}
