using System.Globalization;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>A backend's own account of its load: CPU and memory as 0..1 fractions and its queue length.</summary>
public readonly record struct LoadReport(double Cpu, double Memory, int QueueLength)
{
    /// <summary>Parses the <c>X-AgentSphere-Load</c> header value <c>cpu=0.42;memory=0.31;queue=3</c> without allocating; unknown keys are ignored, a missing or malformed one fails.</summary>
    public static bool TryParseHeader(ReadOnlySpan<char> value, out LoadReport report)
    {
        report = default;
        double? cpu = null;
        double? memory = null;
        int? queue = null;
        foreach (var range in value.Split(';'))
        {
            var part = value[range].Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            var number = part[(equals + 1)..].Trim();
            if (key.Equals("cpu", StringComparison.OrdinalIgnoreCase) && TryFraction(number, out var c))
            {
                cpu = c;
            }
            else if (key.Equals("memory", StringComparison.OrdinalIgnoreCase) && TryFraction(number, out var m))
            {
                memory = m;
            }
            else if (key.Equals("queue", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) && q >= 0)
            {
                queue = q;
            }
        }

        if (cpu is null || memory is null || queue is null)
        {
            return false;
        }

        report = new LoadReport(cpu.Value, memory.Value, queue.Value);
        return true;
    }

    internal static bool TryFraction(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1;
}
