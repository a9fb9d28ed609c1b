using AgentSphere.Policies.Operations;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>What the scored policy currently knows and thinks of a destination, for operators (<c>/admin/backends</c>).</summary>
public sealed class LoadBalancingDiagnostics
{
    private readonly DestinationSignalsStore _store;

    internal LoadBalancingDiagnostics(DestinationSignalsStore store) => _store = store;

    /// <summary>A snapshot of <paramref name="destination"/>'s signals and its score for every operation it may serve.</summary>
    public DestinationDiagnostics Describe(DestinationState destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var signals = _store.Get(destination);
        var parameters = _store.Parameters;
        var now = _store.Now;
        var ticksPerMs = parameters.TicksPerSecond / 1000.0;
        var fresh = DestinationScorer.HasFreshReport(signals, now, parameters);
        var report = signals.ReportedAt == 0 ? (LoadReport?)null : signals.Report;
        var latencies = new Dictionary<string, double>();
        var scores = new Dictionary<string, double>();
        foreach (var operation in AgentSphereOperations.All)
        {
            var latency = signals.Latency(operation);
            if (latency.HasSamples)
            {
                latencies[operation.GetName()] = Math.Round(latency.Read(now, parameters.LatencyTauTicks), 1);
            }

            if (signals.IsAllowed(operation, destination.Model?.Config.Metadata))
            {
                // Scored on its own: its latency is its own floor, so no tolerance applies.
                var floor = latency.HasSamples ? latency.Read(now, parameters.LatencyTauTicks) : double.NaN;
                var score = DestinationScorer.Score(destination, signals, operation, fresh, floor, floor, signals.Report, now, parameters);
                scores[operation.GetName()] = Math.Round(score, 2);
            }
        }

        return new DestinationDiagnostics(
            report,
            signals.ReportedAt == 0 ? null : Math.Round((now - signals.ReportedAt) / ticksPerMs),
            fresh,
            destination.ConcurrentRequestCount,
            Math.Round(signals.ErrorScore(now, parameters), 3),
            Math.Round(DestinationScorer.SlowStartFactor(signals, now, parameters), 3),
            latencies,
            scores,
            signals.ActiveSandboxes);
    }
}

/// <summary>A destination's signals and scores as the scored policy sees them now.</summary>
/// <param name="Report">The backend's latest load report, or null before the first.</param>
/// <param name="ReportAgeMs">How old that report is.</param>
/// <param name="ReportFresh">Whether the report is young enough to count.</param>
/// <param name="InFlight">Requests this gateway has in flight to the destination.</param>
/// <param name="ErrorScore">Recent failure share, 0 to 1, decaying.</param>
/// <param name="SlowStartFactor">Share of its score a new or recovered destination has so far, up to 1.</param>
/// <param name="LatencyMs">Peak-EWMA latency per operation with samples.</param>
/// <param name="Scores">Score per operation the destination may serve, with every term it has.</param>
/// <param name="ActiveSandboxes">Running sandboxes the backend reported at its last health probe, or null.</param>
public sealed record DestinationDiagnostics(
    LoadReport? Report,
    double? ReportAgeMs,
    bool ReportFresh,
    int InFlight,
    double ErrorScore,
    double SlowStartFactor,
    IReadOnlyDictionary<string, double> LatencyMs,
    IReadOnlyDictionary<string, double> Scores,
    int? ActiveSandboxes);
