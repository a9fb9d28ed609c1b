namespace AgentSphere.Gateway.Listeners;

internal sealed class ListenerKindFeature : IListenerKindFeature
{
    public static readonly ListenerKindFeature Public = new(ListenerKind.Public);
    public static readonly ListenerKindFeature Management = new(ListenerKind.Management);

    private ListenerKindFeature(ListenerKind kind) => Kind = kind;

    public ListenerKind Kind { get; }
}
