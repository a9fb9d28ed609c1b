namespace AgentSphere.LoadTests.Load;

/// <summary>One stretch of an arrival schedule at a constant rate.</summary>
/// <param name="Label">Name in progress lines and reports, e.g. <c>warm-up</c> or <c>stage 3</c>.</param>
/// <param name="Rate">Arrivals per second, evenly spaced.</param>
/// <param name="Duration">Length of the stage.</param>
/// <param name="Measured">Its requests count in the report (a warm-up's do not).</param>
internal sealed record RateStage(string Label, double Rate, TimeSpan Duration, bool Measured = true);
