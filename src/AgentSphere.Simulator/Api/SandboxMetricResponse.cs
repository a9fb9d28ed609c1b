namespace AgentSphere.Simulator.Api;

/// <summary>One metrics sample: timestamp (RFC 3339 UTC), CPU percent and bytes of memory and disk.</summary>
internal sealed record SandboxMetricResponse(
    DateTime Timestamp,
    long TimestampUnix,
    int CpuCount,
    double CpuUsedPct,
    long MemUsed,
    long MemTotal,
    long DiskUsed,
    long DiskTotal);
