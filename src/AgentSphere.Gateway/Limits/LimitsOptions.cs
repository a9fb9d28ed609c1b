using AgentSphere.Policies.Operations;

namespace AgentSphere.Gateway.Limits;

/// <summary>Request limits and slow-client protection (section <c>Gateway:Limits</c>); the gateway answers its own limits with 413/414/431 problem+json, and Kestrel's limits sit somewhat above them as a backstop.</summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Gateway:Limits";

    /// <summary>Request body bytes of an operation not listed in <see cref="OperationBodyBytes"/> (passthrough routes included), 0 to 1 GiB. Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Request body bytes per operation name (list, find, connect, deploy, monitor, cleanup, keepalive, lifecycle, health, other). Default 256 KiB for deploy (a create's JSON), 16 KiB for the rest; unlisted names use <see cref="MaxRequestBodyBytes"/>.</summary>
    public Dictionary<string, long> OperationBodyBytes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [AgentSphereOperation.List.GetName()] = 16 * 1024,
        [AgentSphereOperation.Find.GetName()] = 16 * 1024,
        [AgentSphereOperation.Connect.GetName()] = 16 * 1024,
        [AgentSphereOperation.Deploy.GetName()] = 256 * 1024,
        [AgentSphereOperation.Monitor.GetName()] = 16 * 1024,
        [AgentSphereOperation.Cleanup.GetName()] = 16 * 1024,
        [AgentSphereOperation.KeepAlive.GetName()] = 16 * 1024,
        [AgentSphereOperation.Lifecycle.GetName()] = 16 * 1024,
        [AgentSphereOperation.Health.GetName()] = 16 * 1024,
    };

    /// <summary>Request body bytes on the management listener (which takes only GETs), 0 to 1 MiB. Default 16 KiB.</summary>
    public long ManagementBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Bytes of the request target (path and query) before 414, 256 to 1 MiB. Default 8 KiB.</summary>
    public int MaxUrlBytes { get; set; } = 8 * 1024;

    /// <summary>Request header lines before 431, 8 to 1000. Default 100.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Total bytes of the request headers (names, values, separators) before 431, 1 KiB to 1 MiB. Default 32 KiB.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Time a client has to send the request line and headers (slowloris), 1 s to 10 min. Default 10 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle keep-alive connection stays open, 1 s to 1 h. Default 120 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Minimum request body rate in bytes per second after <see cref="MinRequestBodyDataRateGracePeriod"/>, below which the connection is cut; 0 = off. Default 240.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>Grace period of <see cref="MinRequestBodyDataRate"/>, over 1 s and up to 10 min. Default 5 s.</summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Minimum rate in bytes per second at which a client must read the response after <see cref="MinResponseDataRateGracePeriod"/>; 0 = off. Default 240.</summary>
    public double MinResponseDataRate { get; set; } = 240;

    /// <summary>Grace period of <see cref="MinResponseDataRate"/>, over 1 s and up to 10 min. Default 5 s.</summary>
    public TimeSpan MinResponseDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Open connections across all listeners (management included) before new ones are closed at once; null = unlimited. Default null.</summary>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>Concurrent HTTP/2 streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS, https listeners only), 1 to 1000. Default 100.</summary>
    public int Http2MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>The body limit of <paramref name="operation"/> in bytes, and the configuration key that sets it (for messages).</summary>
    internal (long Bytes, string Key) BodyLimitFor(AgentSphereOperation operation)
    {
        // Parsed, not looked up: the binder may hand over a dictionary without the case-insensitive comparer, where "Deploy"
        // from configuration sits beside the default "deploy"; configured keys come later, so the last match wins.
        (long Bytes, string Key) limit = (MaxRequestBodyBytes, $"{SectionName}:MaxRequestBodyBytes");
        foreach (var (name, bytes) in OperationBodyBytes)
        {
            if (AgentSphereOperations.TryParse(name, out var parsed) && parsed == operation)
            {
                limit = (bytes, $"{SectionName}:OperationBodyBytes:{operation.GetName()}");
            }
        }

        return limit;
    }
}
