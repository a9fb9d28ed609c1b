namespace AgentSphere.Gateway.Listeners;

/// <summary>Which of the gateway's listeners a connection arrived on.</summary>
public enum ListenerKind
{
    /// <summary>Client traffic, proxied to AgentSphere.</summary>
    Public,

    /// <summary>Operators' traffic: health, metrics, admin, dashboard.</summary>
    Management,
}
