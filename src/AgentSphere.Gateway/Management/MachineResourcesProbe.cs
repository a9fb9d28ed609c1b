using System.Globalization;
using AgentSphere.Policies.Metrics;

namespace AgentSphere.Gateway.Management;

/// <summary>Reads the machine's available memory and processor count for the capacity calculator.</summary>
internal static class MachineResourcesProbe
{
    internal const string MemInfoPath = "/proc/meminfo";

    /// <summary>Available memory from Linux <c>MemAvailable</c> (what Node's <c>os.freemem</c>, used by the seed, reports); elsewhere the runtime's view of free memory.</summary>
    public static MachineResources Read()
    {
        return new MachineResources(ReadAvailableMegabytes() ?? FromRuntime(), Environment.ProcessorCount);
    }

    /// <summary>Parses <c>MemAvailable:  123456 kB</c> out of a meminfo text, in MB; null when absent.</summary>
    internal static long? ParseMemAvailable(string memInfo) => ParseMegabytes(memInfo, "MemAvailable:");

    /// <summary>Parses one <c>Name:  123456 kB</c> field of a meminfo text, in MB; null when absent or malformed.</summary>
    internal static long? ParseMegabytes(string memInfo, string field)
    {
        foreach (var line in memInfo.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[field.Length..].Trim();
            var space = value.IndexOf(' ');
            var number = space < 0 ? value : value[..space];
            return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes / 1024 : null;
        }

        return null;
    }

    /// <summary>The text of a <c>/proc</c> file, or null when it cannot be read (not Linux, no permission).</summary>
    internal static string? ReadProcFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
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

    private static long? ReadAvailableMegabytes() => ReadProcFile(MemInfoPath) is { } text ? ParseMemAvailable(text) : null;

    private static long FromRuntime()
    {
        var info = GC.GetGCMemoryInfo();
        return Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes) / (1024 * 1024);
    }
}
