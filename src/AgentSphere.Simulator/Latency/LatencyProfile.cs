namespace AgentSphere.Simulator.Latency;

/// <summary>The latency distribution of one operation, given by its P50, P95 and P99 in milliseconds.</summary>
/// <remarks>
/// Sampling uses a piecewise-linear inverse CDF through (0, min), (0.5, P50), (0.95, P95), (0.99, P99), (1, max), so a
/// uniform draw reproduces the three configured quantiles exactly. The tails are not measured by the seed; they are
/// extrapolated: min = max(P50 - 2·(P95 - P50), P50 / 2) and max = P99 + (P99 - P95).
/// </remarks>
internal sealed class LatencyProfile
{
    public LatencyProfile(double p50, double p95, double p99)
    {
        if (!(p50 > 0 && p95 >= p50 && p99 >= p95))
        {
            throw new ArgumentOutOfRangeException(nameof(p50), "Quantiles must be positive and ascending.");
        }

        P50 = p50;
        P95 = p95;
        P99 = p99;
        Min = Math.Max(p50 - ((p95 - p50) * 2), p50 / 2);
        Max = p99 + (p99 - p95);
    }

    public double P50 { get; }

    public double P95 { get; }

    public double P99 { get; }

    public double Min { get; }

    public double Max { get; }

    /// <summary>The latency in milliseconds at quantile <paramref name="u"/> (0..1).</summary>
    public double Quantile(double u) => u switch
    {
        <= 0 => Min,
        < 0.5 => Lerp(0, Min, 0.5, P50, u),
        < 0.95 => Lerp(0.5, P50, 0.95, P95, u),
        < 0.99 => Lerp(0.95, P95, 0.99, P99, u),
        < 1 => Lerp(0.99, P99, 1, Max, u),
        _ => Max,
    };

    private static double Lerp(double u0, double v0, double u1, double v1, double u) => v0 + ((v1 - v0) * (u - u0) / (u1 - u0));
}
