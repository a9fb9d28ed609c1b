using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Settings of the scored load-balancing policy and its health policies (section <c>LoadBalancing</c>).</summary>
public sealed class ScoredLoadBalancingOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "LoadBalancing";

    /// <summary>Weights of the score's terms; the defaults are the seed report's.</summary>
    public ScoreWeights Weights { get; set; } = new();

    /// <summary>Destinations compared per pick (best of k), 2 to 10. Default 2 (power of two choices): never always the best, so no herd.</summary>
    public int Choices { get; set; } = 2;

    /// <summary>Age after which a backend's load report stops counting and the policy compares local signals only, in ms (100 to 600000). Default 15000.</summary>
    public int MaxReportAgeMs { get; set; } = 15_000;

    /// <summary>Time constant of the latency average's recovery after a spike, in ms (100 to 600000). Default 10000.</summary>
    public int LatencyDecayMs { get; set; } = 10_000;

    /// <summary>Reported CPU and memory within this fraction (0 to 1) of the lowest among the compared candidates count as equal to it. Default 0.15.</summary>
    /// <remarks>A report is sampled when the backend's last response left and lags this gateway's own dispatches; within the band, fresher local signals decide.</remarks>
    public double ReportTolerance { get; set; } = 0.15;

    /// <summary>Latency differences within this share of the best candidate's latency count as noise and are ignored, 0 to 10. Default 0.25.</summary>
    public double LatencyTolerance { get; set; } = 0.25;

    /// <summary>Latency recorded for a failed request when it failed faster, in ms (0 to 600000), so fast failures do not look fast. Default 2000.</summary>
    public int FailureLatencyMs { get; set; } = 2_000;

    /// <summary>Weight of each new outcome in the error score, 0.01 to 1. Default 0.2.</summary>
    public double ErrorSmoothing { get; set; } = 0.2;

    /// <summary>Time constant of the error score's decay while a destination gets no traffic, in ms (100 to 600000). Default 10000.</summary>
    public int ErrorDecayMs { get; set; } = 10_000;

    /// <summary>Share of the score an error score of 1 removes, 0 to 1. Default 0.9.</summary>
    public double ErrorPenalty { get; set; } = 0.9;

    /// <summary>Ramp during which a new or recovered destination's score grows from <see cref="SlowStartInitialFactor"/> to full, in ms (0 to 600000; 0 disables). Default 30000.</summary>
    public int SlowStartMs { get; set; } = 30_000;

    /// <summary>Share of its score a destination has when its slow start begins, 0.01 to 1. Default 0.1.</summary>
    public double SlowStartInitialFactor { get; set; } = 0.1;

    /// <summary>Latency at which an operation's latency term reaches 0, in ms, per operation name (the seed's 2000 ms by default; deploy 30000, cleanup and lifecycle 5000).</summary>
    public Dictionary<string, int> LatencyCeilingsMs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Passive health: the window failures are counted over, in ms (1000 to 600000). Default 10000.</summary>
    public int FailureWindowMs { get; set; } = 10_000;

    /// <summary>Passive health: requests in the window before the failure rate is judged, 1 to 100000. Default 10.</summary>
    public int FailureMinRequests { get; set; } = 10;

    /// <summary>Passive health: failure rate (5xx, timeouts, transport errors) that ejects a destination, 0.01 to 1. Default 0.5.</summary>
    public double FailureRateThreshold { get; set; } = 0.5;

    /// <summary>Passive health: most of a cluster's destinations, in percent (1 to 100), whose circuits may be open at once; one may always open. Default 50.</summary>
    /// <remarks>When most destinations fail together the cause is more likely shared (this gateway stalled, or the network), and
    /// ejecting them all would turn slow answers into none. Active probes still take down destinations that fail them.</remarks>
    public int MaxEjectionPercent { get; set; } = 50;

    /// <summary>Passive health: ejection time when the cluster sets no <c>ReactivationPeriod</c>, in ms (1000 to 3600000). Default 30000.</summary>
    public int DefaultReactivationMs { get; set; } = 30_000;

    /// <summary>Active health: consecutive failed probes that make a destination unhealthy, 1 to 100. Default 2.</summary>
    public int ConsecutiveProbeFailures { get; set; } = 2;

    /// <summary>Failed requests in a row (5xx, timeouts, transport failures) that eject a destination whatever the failure rate, 1 to 1000; default 5.</summary>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>The latency ceiling of <paramref name="operation"/>, in ms.</summary>
    public int GetLatencyCeilingMs(AgentSphereOperation operation) =>
        LatencyCeilingsMs.TryGetValue(operation.GetName(), out var ceiling) ? ceiling : DefaultLatencyCeilingMs(operation);

    internal static int DefaultLatencyCeilingMs(AgentSphereOperation operation) => operation switch
    {
        AgentSphereOperation.Deploy => 30_000,
        AgentSphereOperation.Cleanup or AgentSphereOperation.Lifecycle => 5_000,
        _ => 2_000,
    };
}

/// <summary>Weights of the score's terms (seed LoadBalancer.calculateScore), each 0 to 1, summing to at most 1 (0 switches a term off).</summary>
public sealed class ScoreWeights
{
    /// <summary>Weight of (100 − CPU %). Default 0.3.</summary>
    public double Cpu { get; set; } = 0.3;

    /// <summary>Weight of (100 − memory %). Default 0.2.</summary>
    public double Memory { get; set; } = 0.2;

    /// <summary>Weight of (2000 − latency ms), scaled to the operation's ceiling. Default 0.2.</summary>
    public double Latency { get; set; } = 0.2;

    /// <summary>Weight of (50 − queue length). Default 0.2.</summary>
    public double Queue { get; set; } = 0.2;

    /// <summary>Weight of the compatibility score (0, 50 or 100). Default 0.1.</summary>
    public double Compatibility { get; set; } = 0.1;
}
