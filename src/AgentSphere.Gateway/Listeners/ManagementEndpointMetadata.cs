namespace AgentSphere.Gateway.Listeners;

/// <summary>Marks an endpoint as served only on the management listener; every other endpoint is served only on public listeners.</summary>
public sealed class ManagementEndpointMetadata
{
    /// <summary>The shared instance.</summary>
    public static readonly ManagementEndpointMetadata Instance = new();

    private ManagementEndpointMetadata()
    {
    }
}
