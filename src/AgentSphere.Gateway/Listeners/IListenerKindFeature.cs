namespace AgentSphere.Gateway.Listeners;

/// <summary>Set on every connection so routing can tell public from management traffic, whatever the ports are.</summary>
public interface IListenerKindFeature
{
    /// <summary>The listener the connection arrived on.</summary>
    ListenerKind Kind { get; }
}
