namespace AgentSphere.LoadTests.Reporting;

/// <summary>How latency moved between the first and the last part of a stability run (overall operations).</summary>
/// <param name="PartFraction">Each part's share of the measured period.</param>
/// <param name="MeanMs">Last part's mean minus the first part's, ms.</param>
/// <param name="P50Ms">The same for P50.</param>
/// <param name="P99Ms">The same for P99.</param>
/// <param name="IntervalMeanSpreadMs">Standard deviation of the per-interval mean latencies, ms (the seed's "580 ms ± 50 ms").</param>
internal sealed record DriftReport(double PartFraction, double MeanMs, double P50Ms, double P99Ms, double? IntervalMeanSpreadMs);
