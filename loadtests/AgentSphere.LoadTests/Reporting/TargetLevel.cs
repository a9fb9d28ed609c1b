namespace AgentSphere.LoadTests.Reporting;

/// <summary>A bar a run is judged against.</summary>
/// <param name="Name">How the report names it.</param>
/// <param name="OverallP99Ms">The overall P99 must stay under this (ms).</param>
/// <param name="MaxErrorRate">The error rate must stay under this (0..1).</param>
internal sealed record TargetLevel(string Name, double OverallP99Ms, double MaxErrorRate);
