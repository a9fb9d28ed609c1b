using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary><see cref="ScoredLoadBalancingOptions"/> converted once into clock ticks and arrays, so the pick path does no conversions or lookups.</summary>
internal sealed class ScoringParameters
{
    public ScoringParameters(ScoredLoadBalancingOptions options, long ticksPerSecond)
    {
        double Ticks(int ms) => ms * (double)ticksPerSecond / 1000;

        Weights = options.Weights;
        Choices = options.Choices;
        MaxReportAgeTicks = (long)Ticks(options.MaxReportAgeMs);
        LatencyTauTicks = Ticks(options.LatencyDecayMs);
        ErrorTauTicks = Ticks(options.ErrorDecayMs);
        FailureLatencyMs = options.FailureLatencyMs;
        LatencyTolerance = options.LatencyTolerance;
        ReportTolerance = options.ReportTolerance;
        ErrorSmoothing = options.ErrorSmoothing;
        ErrorPenalty = options.ErrorPenalty;
        SlowStartTicks = (long)Ticks(options.SlowStartMs);
        SlowStartInitialFactor = options.SlowStartInitialFactor;
        FailureWindowTicks = (long)Ticks(options.FailureWindowMs);
        FailureMinRequests = options.FailureMinRequests;
        FailureRateThreshold = options.FailureRateThreshold;
        ConsecutiveFailures = options.ConsecutiveFailures;
        TicksPerSecond = ticksPerSecond;
        LatencyCeilingsMs = AgentSphereOperations.All.Select(o => (double)options.GetLatencyCeilingMs(o)).ToArray();
    }

    public ScoreWeights Weights { get; }

    public int Choices { get; }

    public long MaxReportAgeTicks { get; }

    public double LatencyTauTicks { get; }

    public double ErrorTauTicks { get; }

    public double FailureLatencyMs { get; }

    public double LatencyTolerance { get; }

    public double ReportTolerance { get; }

    public double ErrorSmoothing { get; }

    public double ErrorPenalty { get; }

    public long SlowStartTicks { get; }

    public double SlowStartInitialFactor { get; }

    public long FailureWindowTicks { get; }

    public int FailureMinRequests { get; }

    public double FailureRateThreshold { get; }

    public int ConsecutiveFailures { get; }

    public long TicksPerSecond { get; }

    public double[] LatencyCeilingsMs { get; }
}
