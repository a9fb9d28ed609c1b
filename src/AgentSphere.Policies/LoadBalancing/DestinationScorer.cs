using AgentSphere.Policies.Operations;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>The seed's score of a destination for an operation, with the guards the seed lacked.</summary>
/// <remarks>
/// score = [w_cpu·(100 − cpu%) + w_mem·(100 − mem%) + w_lat·(C − latency)·2000/C + w_queue·(50 − queue) + w_compat·compat]
///         · (1 − penalty·errorScore) · slowStart,
/// each bracketed term floored at 0 (seed LoadBalancer.calculateScore). C is the operation's latency ceiling (2000 ms,
/// the seed's constant, except for slow operations such as deploys), so every operation's latency term spans the seed's
/// range. queue is the backend's reported queue plus this gateway's requests in flight to it. Terms only count when
/// every compared candidate has them: a stale report or a missing latency sample drops that term for all of them, so
/// the comparison falls back to what is known about each (local signals) instead of rewarding ignorance. Latencies
/// within a tolerance of the best candidate's count as equal to it, and so do reported CPU and memory: the jitter of
/// equally fast backends and a report one dispatch old are worth tens of points against 0.2 per request in flight,
/// and chasing them would pile traffic onto whichever looked best last; within the bands, fresher local signals decide.
/// </remarks>
internal static class DestinationScorer
{
    /// <summary>The score of <paramref name="destination"/> for <paramref name="operation"/>, higher is better.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="signals">Its signals.</param>
    /// <param name="operation">The operation being routed.</param>
    /// <param name="useReport">Whether every compared candidate has a fresh backend report.</param>
    /// <param name="latencyMs">The candidate's own latency for the operation, as read for this comparison.</param>
    /// <param name="latencyFloorMs">The best latency among the compared candidates, or <see cref="double.NaN"/> to leave latency out.</param>
    /// <param name="reportFloor">The lowest reported CPU and memory among the compared candidates.</param>
    /// <param name="now">The current timestamp.</param>
    /// <param name="parameters">The policy's settings.</param>
    public static double Score(
        DestinationState destination,
        DestinationSignals signals,
        AgentSphereOperation operation,
        bool useReport,
        double latencyMs,
        double latencyFloorMs,
        LoadReport reportFloor,
        long now,
        ScoringParameters parameters)
    {
        var weights = parameters.Weights;
        var score = 0.0;
        double queue = destination.ConcurrentRequestCount;
        if (useReport)
        {
            var report = signals.Report;
            var cpu = report.Cpu <= reportFloor.Cpu + parameters.ReportTolerance ? reportFloor.Cpu : report.Cpu;
            var memory = report.Memory <= reportFloor.Memory + parameters.ReportTolerance ? reportFloor.Memory : report.Memory;
            score += weights.Cpu * Math.Max(0, 100 - (cpu * 100));
            score += weights.Memory * Math.Max(0, 100 - (memory * 100));
            queue += report.QueueLength;
        }

        score += weights.Queue * Math.Max(0, 50 - queue);

        if (!double.IsNaN(latencyFloorMs))
        {
            var ceiling = parameters.LatencyCeilingsMs[(int)operation];
            var latency = latencyMs;
            if (latency <= latencyFloorMs * (1 + parameters.LatencyTolerance))
            {
                latency = latencyFloorMs;
            }

            score += weights.Latency * Math.Max(0, ceiling - latency) * (2000 / ceiling);
        }

        score += weights.Compatibility * signals.Compatibility(operation, destination.Model?.Config.Metadata);
        score *= 1 - (parameters.ErrorPenalty * signals.ErrorScore(now, parameters));
        score *= SlowStartFactor(signals, now, parameters);

        // Past the floors every candidate may score alike; the shorter queue still wins the tie.
        return score - (queue * 1e-6);
    }

    public static bool HasFreshReport(DestinationSignals signals, long now, ScoringParameters parameters)
    {
        var reportedAt = signals.ReportedAt;
        return reportedAt != 0 && now - reportedAt <= parameters.MaxReportAgeTicks;
    }

    public static double SlowStartFactor(DestinationSignals signals, long now, ScoringParameters parameters)
    {
        var window = parameters.SlowStartTicks;
        var elapsed = now - signals.ArrivedAt;
        if (window <= 0 || elapsed >= window)
        {
            return 1;
        }

        var initial = parameters.SlowStartInitialFactor;
        return initial + ((1 - initial) * Math.Max(0, elapsed) / window);
    }
}
