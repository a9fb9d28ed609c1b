namespace AgentSphere.Policies.Admission;

/// <summary>Settings of the gateway's global admission stage (<c>PriorityConcurrencyLimiter</c>).</summary>
public sealed class PriorityConcurrencyLimiterOptions
{
    /// <summary>Requests in service at once, at least 1; default 50.</summary>
    public int PermitLimit { get; set; } = 50;

    /// <summary>Requests that may wait for a permit, 0 to disable waiting; default 200.</summary>
    public int QueueLimit { get; set; } = 200;

    /// <summary>Waiting requests above which the newest low-priority ones are shed, 0 to <see cref="QueueLimit"/>; default 100.</summary>
    public int ShedThreshold { get; set; } = 100;

    /// <summary>How long a request may wait for a permit before it is refused, positive; default 30 seconds.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The retry hint carried by refused leases, zero or more; default 1 second.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Process CPU percent above which low-priority requests wait even when a permit is free, 0 to 100; default 70.</summary>
    public double CpuWaitPercent { get; set; } = 70.0;

    /// <summary>Process CPU percent above which low-priority requests are refused and normal ones wait, <see cref="CpuWaitPercent"/> to 100; default 80.</summary>
    public double CpuShedPercent { get; set; } = 80.0;

    /// <summary>Managed heap bytes above which normal and low priority requests are refused, positive; default 500 MiB.</summary>
    public long MaxHeapBytes { get; set; } = 500L * 1024 * 1024;
}
