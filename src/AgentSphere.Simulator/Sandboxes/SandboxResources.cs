namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The resources every simulated sandbox reports (E2B's default template size).</summary>
internal static class SandboxResources
{
    public const int CpuCount = 2;
    public const int MemoryMB = 512;
    public const int DiskSizeMB = 10240;
    public const long MemoryBytes = MemoryMB * 1024L * 1024L;
    public const long DiskBytes = DiskSizeMB * 1024L * 1024L;
}
