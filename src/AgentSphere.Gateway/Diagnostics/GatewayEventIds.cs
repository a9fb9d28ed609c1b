namespace AgentSphere.Gateway.Diagnostics;

/// <summary>Stable event ids of the gateway's log messages, all in one place.</summary>
internal static class GatewayEventIds
{
    public const int Started = 1000;
    public const int DemoFleetStarted = 1001;
    public const int ProxyConfigApplied = 1100;
    public const int ProxyConfigRejected = 1101;
    public const int AdmissionRejected = 1200;
    public const int AdmissionAbandoned = 1201;
    public const int IdempotentResponseTruncated = 1300;
    public const int AdminTokenPeerBlocked = 1400;
}
