namespace AgentSphere.LoadTests.Reporting;

/// <summary>The outcome of a capacity search.</summary>
/// <param name="HighestHeldRate">The highest offered rate whose step held, or null if none did.</param>
/// <param name="LowestFailedRate">The lowest offered rate whose step did not, or null if none failed.</param>
/// <param name="P99LimitMs">A step holds while its overall P99 stays at or under this...</param>
/// <param name="ErrorLimit">...and its error rate at or under this (0..1).</param>
/// <param name="Steps">Each step in order: its rate, whether it held, and why not.</param>
internal sealed record CapacityReport(double? HighestHeldRate, double? LowestFailedRate, double P99LimitMs, double ErrorLimit, IReadOnlyList<CapacityStepReport> Steps);
