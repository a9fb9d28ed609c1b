using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Picks the best of k randomly drawn compatible destinations by the seed's score over backend reports and gateway measurements.</summary>
/// <remarks>
/// Drawing k (default 2) candidates and taking the best of them, rather than the best of all, keeps every gateway
/// instance from piling onto the same "least loaded" backend between two reports (herding), while still steering
/// almost all traffic away from a clearly worse one. Destinations whose metadata excludes the operation are never
/// drawn. The pick takes no lock and allocates nothing: candidate indices live on the stack and signals are read with
/// volatile reads.
/// </remarks>
internal sealed class ScoredLoadBalancingPolicy(DestinationSignalsStore store, IRandomSource random) : ILoadBalancingPolicy
{
    private const int MaxChoices = 10;

    public string Name => AgentSphereLoadBalancingPolicies.Scored;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var operation = OperationMetadata.Of(context);
        var count = availableDestinations.Count;
        var compatible = 0;
        for (var i = 0; i < count; i++)
        {
            if (IsAllowed(availableDestinations[i], operation))
            {
                compatible++;
            }
        }

        if (compatible == 0)
        {
            return null;
        }

        var parameters = store.Parameters;
        var choices = Math.Min(Math.Min(parameters.Choices, MaxChoices), compatible);
        Span<int> drawn = stackalloc int[choices];
        for (var i = 0; i < choices; i++)
        {
            int candidate;
            do
            {
                candidate = random.Next(compatible);
            }
            while (drawn[..i].Contains(candidate));

            drawn[i] = candidate;
        }

        // Map draws (ordinals among compatible destinations) to indices into the available list (when every
        // destination is compatible, an ordinal is its index), and read each candidate's signals once.
        var now = store.Now;
        var candidates = default(CandidateSignals);
        Span<double> latencies = stackalloc double[choices];
        var useReport = true;
        var latencyFloor = double.PositiveInfinity;
        var cpuFloor = double.PositiveInfinity;
        var memoryFloor = double.PositiveInfinity;
        for (var i = 0; i < choices; i++)
        {
            if (compatible < count)
            {
                drawn[i] = CompatibleIndex(availableDestinations, drawn[i], operation);
            }

            var signals = candidates[i] = store.Get(availableDestinations[drawn[i]]);
            signals.ReadmitIfEjected(now);
            useReport &= DestinationScorer.HasFreshReport(signals, now, parameters);
            var report = signals.Report;
            cpuFloor = Math.Min(cpuFloor, report.Cpu);
            memoryFloor = Math.Min(memoryFloor, report.Memory);
            var latency = signals.Latency(operation);
            latencies[i] = latency.HasSamples ? latency.Read(now, parameters.LatencyTauTicks) : double.NaN;
            latencyFloor = Math.Min(latencyFloor, latencies[i]);
        }

        if (choices == 1)
        {
            return availableDestinations[drawn[0]];
        }

        // A NaN latency (a candidate never measured for this operation) makes the floor NaN: latency is left out.
        var reportFloor = new LoadReport(cpuFloor, memoryFloor, 0);
        DestinationState? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < choices; i++)
        {
            var candidate = availableDestinations[drawn[i]];
            var score = DestinationScorer.Score(candidate, candidates[i], operation, useReport, latencies[i], latencyFloor, reportFloor, now, parameters);
            if (best is null || score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    // Destinations without metadata (the common case) serve every operation: no side-table lookup needed.
    private bool IsAllowed(DestinationState destination, AgentSphereOperation operation)
    {
        var metadata = destination.Model?.Config.Metadata;
        return metadata is null || store.Get(destination).IsAllowed(operation, metadata);
    }

    private int CompatibleIndex(IReadOnlyList<DestinationState> destinations, int ordinal, AgentSphereOperation operation)
    {
        for (var i = 0; i < destinations.Count; i++)
        {
            if (IsAllowed(destinations[i], operation) && ordinal-- == 0)
            {
                return i;
            }
        }

        // Only reachable if a configuration reload changed compatibility mid-pick: any destination will do.
        return 0;
    }

    [System.Runtime.CompilerServices.InlineArray(MaxChoices)]
    private struct CandidateSignals
    {
        private DestinationSignals _first;
    }
}
