using System.Globalization;
using AgentSphere.Gateway.Management;
using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Metrics;
using Yarp.ReverseProxy;

namespace AgentSphere.Gateway.Diagnostics;

/// <summary>What the alerts watch, read every evaluation interval: machine CPU and memory (Linux <c>/proc</c>), the gateway's working set, the sandboxes the backends report and the live P95.</summary>
/// <remarks>
/// Machine CPU is the busy share of <c>/proc/stat</c> between two readings, so the first reading has none. Backends of one AgentSphere
/// deployment each report the deployment's running sandboxes, so the largest fresh report is taken, not the sum. The last readings
/// are kept for the <c>/metrics</c> gauges and <c>/admin/status</c>.
/// </remarks>
internal sealed class GatewayAlertReadingsSource(IKpiTracker kpis, IProxyStateLookup proxyState, LoadBalancingDiagnostics diagnostics) : IAlertReadingsSource
{
    private const string StatPath = "/proc/stat";
    private readonly Lock _lock = new();
    private (long Busy, long Total)? _previousCpu;

    /// <summary>The readings of the last evaluation, or null before the first.</summary>
    public AlertReadings? Latest { get; private set; }

    public ValueTask<AlertReadings> ReadAsync(CancellationToken cancellationToken)
    {
        var readings = new AlertReadings(
            SystemMemoryPercent(),
            SystemCpuPercent(),
            Environment.WorkingSet / (1024.0 * 1024.0),
            ActiveSandboxes(),
            kpis.Snapshot().P95Milliseconds);
        Latest = readings;
        return ValueTask.FromResult(readings);
    }

    /// <summary>The largest running-sandbox count a backend last reported, or null when none reports one.</summary>
    public int? ActiveSandboxes()
    {
        int? largest = null;
        foreach (var cluster in proxyState.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                if (diagnostics.Describe(destination).ActiveSandboxes is { } count && (largest is null || count > largest))
                {
                    largest = count;
                }
            }
        }

        return largest;
    }

    /// <summary>Parses the aggregate <c>cpu</c> line of /proc/stat into busy and total jiffies (idle and iowait are not busy).</summary>
    internal static (long Busy, long Total)? ParseCpuLine(string stat)
    {
        foreach (var line in stat.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                continue;
            }

            long total = 0;
            long idle = 0;
            var index = 0;
            foreach (var range in line[4..].Split(' '))
            {
                var field = line[4..][range];
                if (field.IsEmpty)
                {
                    continue;
                }

                if (!long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    return null;
                }

                // user nice system idle iowait irq softirq steal (guest fields are already inside user and nice).
                if (index < 8)
                {
                    total += value;
                    if (index is 3 or 4)
                    {
                        idle += value;
                    }
                }

                index++;
            }

            return index >= 4 ? (total - idle, total) : null;
        }

        return null;
    }

    /// <summary>Memory in use as a percentage of <c>MemTotal</c>, from <c>MemAvailable</c>.</summary>
    internal static double? ParseMemoryPercent(string memInfo)
    {
        var total = MachineResourcesProbe.ParseMegabytes(memInfo, "MemTotal:");
        var available = MachineResourcesProbe.ParseMemAvailable(memInfo);
        return total is > 0 && available is { } free ? Math.Round(100.0 * (total.Value - free) / total.Value, 1) : null;
    }

    private static double? SystemMemoryPercent() => MachineResourcesProbe.ReadProcFile(MachineResourcesProbe.MemInfoPath) is { } text ? ParseMemoryPercent(text) : null;

    private double? SystemCpuPercent()
    {
        if (MachineResourcesProbe.ReadProcFile(StatPath) is not { } text || ParseCpuLine(text) is not { } now)
        {
            return null;
        }

        lock (_lock)
        {
            var previous = _previousCpu;
            _previousCpu = now;
            if (previous is not { } before || now.Total <= before.Total)
            {
                return null;
            }

            return Math.Round(100.0 * (now.Busy - before.Busy) / (now.Total - before.Total), 1);
        }
    }
}
