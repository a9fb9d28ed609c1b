namespace AgentSphere.LoadTests.Reporting;

/// <summary>A horizontal reference line, e.g. the 800 ms overall P99 bar.</summary>
internal sealed record ChartThreshold(double Y, string Label, string Color);
