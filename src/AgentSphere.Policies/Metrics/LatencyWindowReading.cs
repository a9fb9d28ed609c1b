namespace AgentSphere.Policies.Metrics;

/// <summary>What <see cref="OperationLatencyWindow"/> holds at one moment.</summary>
/// <param name="Overall">All operations together, named <c>all</c>.</param>
/// <param name="Operations">Each operation with at least one request in the window, in <see cref="AgentSphere.Policies.Operations.AgentSphereOperation"/> order.</param>
/// <param name="CoveredSeconds">The seconds the rates are over: the window plus the part of the current second gone, or the uptime when shorter; never below 1.</param>
internal sealed record LatencyWindowReading(OperationLatencyStatistics Overall, IReadOnlyList<OperationLatencyStatistics> Operations, double CoveredSeconds);
