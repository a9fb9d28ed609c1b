namespace AgentSphere.Simulator.Sandboxes;

/// <summary>One simulated resource sample of a sandbox.</summary>
internal sealed record SandboxMetricSample(long TimestampUnix, int CpuCount, double CpuUsedPct, long MemUsed, long MemTotal, long DiskUsed, long DiskTotal);
