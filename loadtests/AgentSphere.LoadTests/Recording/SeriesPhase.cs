namespace AgentSphere.LoadTests.Recording;

/// <summary>A named stretch of a scenario's time line (warm-up, a ramp stage, a capacity step), drawn as a band on the charts.</summary>
/// <param name="Label">Name, e.g. <c>stage 2: 20/s</c>.</param>
/// <param name="StartSeconds">Seconds from the start of the scenario.</param>
/// <param name="EndSeconds">Its end.</param>
/// <param name="Measured">Its requests count in the report.</param>
internal sealed record SeriesPhase(string Label, double StartSeconds, double EndSeconds, bool Measured);
