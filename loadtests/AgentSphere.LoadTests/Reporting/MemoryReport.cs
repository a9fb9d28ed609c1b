namespace AgentSphere.LoadTests.Reporting;

/// <summary>The gateway's working set over the measured period, from its <c>/metrics</c>.</summary>
/// <param name="Measured">At least one reading succeeded.</param>
/// <param name="Problem">Why not, when not.</param>
/// <param name="Samples">Readings in the measured period.</param>
/// <param name="FirstMb">The first of them, MB.</param>
/// <param name="LastMb">The last.</param>
/// <param name="PeakMb">The largest.</param>
/// <param name="GrowthMbPerHour">Least-squares slope of the readings, MB per hour; null with fewer than two.</param>
/// <param name="WindowSeconds">Time between the first and last reading.</param>
internal sealed record MemoryReport(
    bool Measured,
    string? Problem,
    int Samples,
    double? FirstMb,
    double? LastMb,
    double? PeakMb,
    double? GrowthMbPerHour,
    double WindowSeconds)
{
    public static MemoryReport NotMeasured(string problem) => new(false, problem, 0, null, null, null, null, 0);
}
