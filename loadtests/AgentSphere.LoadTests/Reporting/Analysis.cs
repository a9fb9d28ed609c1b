using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Derived figures: memory growth, peaks, latency drift, section figures from records.</summary>
internal static class Analysis
{
    private const double Megabyte = 1024 * 1024;

    /// <summary>The memory readings between <paramref name="fromSeconds"/> and <paramref name="toSeconds"/>, summarised.</summary>
    public static MemoryReport Memory(IReadOnlyList<MemorySample> samples, double fromSeconds, double toSeconds, string? problem)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var window = samples.Where(s => s.Seconds >= fromSeconds && s.Seconds <= toSeconds).ToList();
        if (window.Count == 0)
        {
            return MemoryReport.NotMeasured(problem ?? "no reading in the measured period");
        }

        return new MemoryReport(
            true,
            null,
            window.Count,
            Round(window[0].Bytes / Megabyte),
            Round(window[^1].Bytes / Megabyte),
            Round(window.Max(s => s.Bytes) / Megabyte),
            GrowthPerHour(window) is { } growth ? Round(growth) : null,
            Round(window[^1].Seconds - window[0].Seconds));
    }

    /// <summary>The largest reading in a window, MB, or null.</summary>
    public static double? PeakMb(IReadOnlyList<MemorySample> samples, double fromSeconds, double toSeconds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var window = samples.Where(s => s.Seconds >= fromSeconds && s.Seconds <= toSeconds).ToList();
        return window.Count == 0 ? null : Round(window.Max(s => s.Bytes) / Megabyte);
    }

    /// <summary>Least-squares slope of the readings, in MB per hour; null with fewer than two readings or no time between them.</summary>
    public static double? GrowthPerHour(IReadOnlyList<MemorySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return null;
        }

        var meanT = samples.Average(s => s.Seconds);
        var meanY = samples.Average(s => s.Bytes / Megabyte);
        double num = 0, den = 0;
        foreach (var s in samples)
        {
            var dt = s.Seconds - meanT;
            num += dt * ((s.Bytes / Megabyte) - meanY);
            den += dt * dt;
        }

        return den <= 0 ? null : num / den * 3600;
    }

    /// <summary>Last part minus first part, and the spread of the per-interval means within the measured window.</summary>
    public static DriftReport Drift(SectionReport first, SectionReport last, double partFraction, IReadOnlyList<SeriesPoint> series, double fromSeconds, double toSeconds)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(series);

        var levels = series
            .Where(p => p.StartSeconds >= fromSeconds && p.EndSeconds <= toSeconds + 0.5 && p.LatencyCount > 0)
            .Select(p => p.MeanMs)
            .ToList();
        double? spread = null;
        if (levels.Count >= 2)
        {
            var mean = levels.Average();
            spread = Round(Math.Sqrt(levels.Sum(v => (v - mean) * (v - mean)) / (levels.Count - 1)));
        }

        return new DriftReport(
            partFraction,
            Round(last.Overall.LatencyMs.Mean - first.Overall.LatencyMs.Mean),
            Round(last.Overall.LatencyMs.P50 - first.Overall.LatencyMs.P50),
            Round(last.Overall.LatencyMs.P99 - first.Overall.LatencyMs.P99),
            spread);
    }

    /// <summary>The figures of one stretch from its records.</summary>
    public static SectionReport Section(
        string name,
        MeasuredRecords records,
        double startSeconds,
        TimeSpan duration,
        double? offeredRate,
        int? concurrency,
        double? peakMemoryMb)
    {
        ArgumentNullException.ThrowIfNull(records);
        var seconds = duration.TotalSeconds;
        var all = OperationReport.From(records.All);
        return new SectionReport(
            name,
            offeredRate,
            concurrency,
            Round(startSeconds),
            Round(seconds),
            seconds > 0 ? Math.Round(all.Count / seconds, 3) : 0,
            seconds > 0 ? Math.Round((all.Count - all.Errors) / seconds, 3) : 0,
            OperationReport.From(records.Overall),
            all,
            Judge.WithTargets(records.Operations.ToDictionary(o => o.Operation, OperationReport.From, StringComparer.Ordinal)),
            offeredRate is null ? null : LatencyReport.From(records.SendLag),
            peakMemoryMb);
    }

    private static double Round(double value) => Math.Round(value, 1);
}
