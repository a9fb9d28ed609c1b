namespace AgentSphere.LoadTests.Reporting;

/// <summary>A stretch of the x axis: unmeasured ones (warm-up, priming) are shaded, measured ones separated and labelled.</summary>
internal sealed record ChartBand(double From, double To, string Label, bool Measured);
