using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Tests.Reporting;

public sealed class AnalysisTests
{
    private const double MB = 1024 * 1024;

    [Fact]
    public void GrowthPerHour_LinearReadings_IsTheirSlope()
    {
        // 1 MB more every 60 s is 60 MB/h.
        var samples = Enumerable.Range(0, 11).Select(i => new MemorySample(i * 60, (200 + i) * MB)).ToList();

        Assert.Equal(60, Analysis.GrowthPerHour(samples)!.Value, 6);
    }

    [Fact]
    public void GrowthPerHour_TooFewReadings_IsNull()
    {
        Assert.Null(Analysis.GrowthPerHour([]));
        Assert.Null(Analysis.GrowthPerHour([new MemorySample(1, MB)]));
        Assert.Null(Analysis.GrowthPerHour([new MemorySample(1, MB), new MemorySample(1, 2 * MB)]));
    }

    [Fact]
    public void Memory_KeepsOnlyTheWindow()
    {
        var samples = new[] { new MemorySample(0, 500 * MB), new MemorySample(10, 100 * MB), new MemorySample(20, 150 * MB), new MemorySample(30, 120 * MB), new MemorySample(40, 900 * MB) };

        var report = Analysis.Memory(samples, 10, 30, null);

        Assert.Equal(new MemoryReport(true, null, 3, 100, 120, 150, 3600, 20), report);
        Assert.Equal(150, Analysis.PeakMb(samples, 10, 30));
        Assert.False(Analysis.Memory(samples, 100, 200, "down").Measured);
    }

    [Fact]
    public void Drift_IsLastMinusFirst()
    {
        var first = Section(ReportFixture.Op(100, 0, 0, 100, 200, 300));
        var last = Section(ReportFixture.Op(100, 0, 0, 110, 200, 350));
        var series = new[] { Point(0, 100), Point(1, 120), Point(2, 140) };

        var drift = Analysis.Drift(first, last, 0.2, series, 0, 3);

        Assert.Equal(11, drift.MeanMs);
        Assert.Equal(10, drift.P50Ms);
        Assert.Equal(50, drift.P99Ms);
        Assert.Equal(20, drift.IntervalMeanSpreadMs);
    }

    private static SectionReport Section(OperationReport overall) =>
        new("part", 50, null, 0, 10, 50, 50, overall, overall, new Dictionary<string, OperationReport>(), null, null);

    private static SeriesPoint Point(double start, double mean) => new(start, start + 1, 50, 50, 0, 50, mean, mean, mean, mean);
}
