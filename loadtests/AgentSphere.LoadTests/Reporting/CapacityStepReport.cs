namespace AgentSphere.LoadTests.Reporting;

/// <summary>One step of a capacity search.</summary>
/// <param name="Rate">Offered ops/s.</param>
/// <param name="Held">Overall P99 and error rate within the limits.</param>
/// <param name="Reason">Why it did not hold, or null.</param>
internal sealed record CapacityStepReport(double Rate, bool Held, string? Reason);
