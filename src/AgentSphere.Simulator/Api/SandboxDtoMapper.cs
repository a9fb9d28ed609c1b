using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Api;

/// <summary>Maps sandbox snapshots and samples to the E2B wire shapes.</summary>
internal static class SandboxDtoMapper
{
    public static SandboxResponse ToSandbox(SandboxInfo s) =>
        new(s.TemplateId, s.Id, null, s.ClientId, s.EnvdVersion, s.EnvdAccessToken, null);

    public static ListedSandboxResponse ToListed(SandboxInfo s) =>
        new(s.TemplateId, null, s.Id, s.ClientId, s.StartedAt.UtcDateTime, s.EndAt.UtcDateTime, SandboxResources.CpuCount, SandboxResources.MemoryMB, SandboxResources.DiskSizeMB, ToWire(s.State), s.Metadata, s.EnvdVersion);

    public static SandboxDetailResponse ToDetail(SandboxInfo s) =>
        new(s.TemplateId, null, s.Id, s.ClientId, s.StartedAt.UtcDateTime, s.EndAt.UtcDateTime, s.EnvdVersion, s.EnvdAccessToken, null, SandboxResources.CpuCount, SandboxResources.MemoryMB, SandboxResources.DiskSizeMB, s.Metadata, ToWire(s.State));

    public static SandboxMetricResponse ToMetric(SandboxMetricSample m) =>
        new(DateTime.UnixEpoch.AddSeconds(m.TimestampUnix), m.TimestampUnix, m.CpuCount, m.CpuUsedPct, m.MemUsed, m.MemTotal, m.DiskUsed, m.DiskTotal);

    public static SandboxLogEntryResponse ToLogEntry(SandboxEvent e) => new(e.Timestamp.UtcDateTime, e.Level, e.Message, e.Fields);

    public static SandboxLogLine ToLogLine(SandboxEvent e) => new(e.Timestamp.UtcDateTime, e.Message);

    public static string ToWire(SandboxState state) => state == SandboxState.Running ? "running" : "paused";
}
