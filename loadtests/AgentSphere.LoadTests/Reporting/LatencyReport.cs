using HdrHistogram;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Mean, percentiles and maximum of one histogram, in milliseconds.</summary>
internal sealed record LatencyReport(double Mean, double P50, double P90, double P95, double P99, double P999, double Max)
{
    public static LatencyReport From(HistogramBase microseconds)
    {
        if (microseconds.TotalCount == 0)
        {
            return new LatencyReport(0, 0, 0, 0, 0, 0, 0);
        }

        return new LatencyReport(
            Ms(microseconds.GetMean()),
            Ms(microseconds.GetValueAtPercentile(50)),
            Ms(microseconds.GetValueAtPercentile(90)),
            Ms(microseconds.GetValueAtPercentile(95)),
            Ms(microseconds.GetValueAtPercentile(99)),
            Ms(microseconds.GetValueAtPercentile(99.9)),
            Ms(microseconds.GetMaxValue()));
    }

    private static double Ms(double microseconds) => Math.Round(microseconds / 1000.0, 3);
}
