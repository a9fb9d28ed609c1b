namespace AgentSphere.Policies.Redis;

/// <summary>Stable event ids of the shared-state (Redis) log messages, all in one place (range 3000-3099).</summary>
internal static class RedisEventIds
{
    public const int Connecting = 3000;
    public const int Connected = 3001;
    public const int Unavailable = 3002;
    public const int ConnectAttemptFailed = 3003;
    public const int ConnectPending = 3004;
    public const int NotConfigured = 3005;
    public const int StateHandlerFailed = 3006;
    public const int LeaseReleaseFailed = 3010;
    public const int LeaseRenewalFailed = 3011;
    public const int LeasesLost = 3012;
    public const int QuotaRefundFailed = 3020;
}
