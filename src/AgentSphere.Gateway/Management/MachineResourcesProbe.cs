using System.Globalization;
using AgentSphere.Policies.Metrics;

namespace AgentSphere.Gateway.Management;

/// <summary>Reads the machine's available memory and processor count for the capacity calculator.</summary>
internal static class MachineResourcesProbe
{
    private const string MemInfoPath = "/proc/meminfo";

    /// <summary>Available memory from Linux <c>MemAvailable</c> (what Node's <c>os.freemem</c>, used by the seed, reports); elsewhere the runtime's view of free memory.</summary>
    public static MachineResources Read()
    {
        return new MachineResources(ReadAvailableMegabytes() ?? FromRuntime(), Environment.ProcessorCount);
    }

    /// <summary>Parses <c>MemAvailable:  123456 kB</c> out of a meminfo text; null when absent.</summary>
    internal static long? ParseMemAvailable(string memInfo)
    {
        foreach (var line in memInfo.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line["MemAvailable:".Length..].Trim();
            var space = value.IndexOf(' ');
            var number = space < 0 ? value : value[..space];
            return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes / 1024 : null;
        }

        return null;
    }

    private static long? ReadAvailableMegabytes()
    {
        try
        {
            return File.Exists(MemInfoPath) ? ParseMemAvailable(File.ReadAllText(MemInfoPath)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long FromRuntime()
    {
        var info = GC.GetGCMemoryInfo();
        return Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes) / (1024 * 1024);
    }
}
