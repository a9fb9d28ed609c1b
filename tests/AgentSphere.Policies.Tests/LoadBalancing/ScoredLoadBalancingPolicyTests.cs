using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Operations;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.Tests.LoadBalancing;

public sealed class ScoredLoadBalancingPolicyTests
{
    private readonly PolicyHarness _harness = new();
    private readonly DestinationState _a = PolicyHarness.Destination("a");
    private readonly DestinationState _b = PolicyHarness.Destination("b");
    private readonly DestinationState _c = PolicyHarness.Destination("c");

    [Fact]
    public void PickDestination_NoDestinations_ReturnsNull()
    {
        Assert.Null(_harness.Pick([]));
    }

    [Fact]
    public void PickDestination_OneDestination_ReturnsIt()
    {
        Assert.Same(_a, _harness.Pick([_a], draws: [0]));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void PickDestination_LowerReportedCpu_Wins(int first, int second)
    {
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0.8, memory: 0.3, queue: 0);
        _harness.Report(_b, cpu: 0.2, memory: 0.3, queue: 0);

        Assert.Same(_b, _harness.Pick([_a, _b], draws: [first, second]));
    }

    [Fact]
    public void PickDestination_ReportedCpuWithinTolerance_LetsLocalInFlightDecide()
    {
        // One busy slot apart in reports that lag this gateway's dispatches; b has three requests of ours in flight.
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0.30, memory: 0.3, queue: 0);
        _harness.Report(_b, cpu: 0.20, memory: 0.3, queue: 0);
        _b.ConcurrentRequestCount = 3;

        Assert.Same(_a, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_LowerReportedMemory_Wins()
    {
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0.3, memory: 0.9, queue: 0);
        _harness.Report(_b, cpu: 0.3, memory: 0.2, queue: 0);

        Assert.Same(_b, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_ShorterReportedQueue_Wins()
    {
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0.3, memory: 0.3, queue: 30);
        _harness.Report(_b, cpu: 0.3, memory: 0.3, queue: 0);

        Assert.Same(_b, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_FewerRequestsInFlightFromThisGateway_Wins()
    {
        _harness.Settle(_a, _b);
        _a.ConcurrentRequestCount = 10;

        Assert.Same(_b, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_LowerMeasuredLatency_Wins()
    {
        _harness.Settle(_a, _b);
        _harness.Latency(_a, 900);
        _harness.Latency(_b, 100);

        Assert.Same(_b, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_LatencyOfOtherOperation_DoesNotCount()
    {
        // a is slow at deploys, which says nothing about lists; b has more in flight.
        _harness.Settle(_a, _b);
        _harness.Latency(_a, 1900, operation: AgentSphereOperation.List);
        _harness.Latency(_b, 100, operation: AgentSphereOperation.List);
        _harness.Latency(_a, 100, operation: AgentSphereOperation.Monitor);
        _harness.Latency(_b, 1900, operation: AgentSphereOperation.Monitor);

        Assert.Same(_b, _harness.Pick([_a, _b], AgentSphereOperation.List));
        Assert.Same(_a, _harness.Pick([_a, _b], AgentSphereOperation.Monitor));
    }

    [Fact]
    public void PickDestination_LatencyJitterWithinTolerance_LetsQueueDecide()
    {
        // 130 ms against 150 ms is jitter between equally fast backends; b has fewer requests in flight.
        _harness.Settle(_a, _b);
        _harness.Latency(_a, 130);
        _harness.Latency(_b, 150);
        _a.ConcurrentRequestCount = 2;

        Assert.Same(_b, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_CandidateWithoutLatencySample_IsNotRewardedForIgnorance()
    {
        // b has never been measured; latency must not count for either, so a wins on its shorter queue.
        _harness.Settle(_a, _b);
        _harness.Latency(_a, 100);
        _b.ConcurrentRequestCount = 3;

        Assert.Same(_a, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_FastFailures_ArePenalizedByErrorScore()
    {
        // Failure latency off: only the error score can tell the fast-failing destination apart.
        var harness = new PolicyHarness(o => o.FailureLatencyMs = 0);
        harness.Settle(_a, _b);
        for (var i = 0; i < 5; i++)
        {
            harness.Latency(_a, 10, failed: true);
            harness.Latency(_b, 300);
        }

        Assert.Same(_b, harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_FastFailures_CountAsSlow()
    {
        // Error penalty off: only the failure latency can tell the fast-failing destination apart.
        var harness = new PolicyHarness(o => o.ErrorPenalty = 0);
        harness.Settle(_a, _b);
        harness.Latency(_a, 10, failed: true);
        harness.Latency(_b, 300);

        Assert.Same(_b, harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_ErrorScore_DecaysWhenFailuresStop()
    {
        var harness = new PolicyHarness(o => o.FailureLatencyMs = 0);
        harness.Settle(_a, _b);
        harness.Latency(_a, 10, failed: true);
        harness.Latency(_b, 300);
        var before = harness.Store.Get(_a).ErrorScore(harness.Now, harness.Parameters);

        harness.Clock.Advance(TimeSpan.FromMilliseconds(harness.Options.CurrentValue.ErrorDecayMs * 3));

        Assert.True(harness.Store.Get(_a).ErrorScore(harness.Now, harness.Parameters) < before / 10);
    }

    [Fact]
    public void PickDestination_StaleReport_FallsBackToLocalSignals()
    {
        // a's last report was excellent but is older than MaxReportAgeMs; b's is fresh but poor. Locally, b has
        // fewer requests in flight, so with the stale report ignored for both, b wins.
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0, memory: 0, queue: 0);
        _harness.Clock.Advance(TimeSpan.FromMilliseconds(_harness.Options.CurrentValue.MaxReportAgeMs + 1));
        _harness.Report(_b, cpu: 0.9, memory: 0.9, queue: 0);
        _a.ConcurrentRequestCount = 5;

        Assert.Same(_b, _harness.Pick([_a, _b]));
    }

    [Fact]
    public void PickDestination_BestOfTwoRandomDraws_NeverForcesTheGlobalBest()
    {
        // c is the best destination, but the draw is a and b: herding onto the argmin is impossible.
        _harness.Settle(_a, _b, _c);
        _harness.Report(_a, cpu: 0.5, memory: 0.5, queue: 0);
        _harness.Report(_b, cpu: 0.6, memory: 0.5, queue: 0);
        _harness.Report(_c, cpu: 0.0, memory: 0.0, queue: 0);

        Assert.Same(_a, _harness.Pick([_a, _b, _c], draws: [0, 1]));
        Assert.Same(_c, _harness.Pick([_a, _b, _c], draws: [1, 2]));
    }

    [Fact]
    public void PickDestination_ClearlyBestDestination_GetsAboutTwoThirdsOfThreeWayTraffic()
    {
        var harness = new PolicyHarness();
        var policy = new ScoredLoadBalancingPolicy(harness.Store, new SeededRandom(7));
        harness.Settle(_a, _b, _c);
        harness.Report(_a, cpu: 0.5, memory: 0.5, queue: 0);
        harness.Report(_b, cpu: 0.5, memory: 0.5, queue: 0);
        harness.Report(_c, cpu: 0.0, memory: 0.0, queue: 0);
        var context = PolicyHarness.Context();
        var cluster = new ClusterState("agentsphere");

        var toC = Enumerable.Range(0, 3000).Count(_ => policy.PickDestination(context, cluster, [_a, _b, _c]) == _c);

        Assert.InRange(toC, 1800, 2200);
    }

    [Fact]
    public void PickDestination_NewDestination_RampsUpInsteadOfFlooding()
    {
        // a is established; b arrives now with better signals but starts at a tenth of its score.
        _harness.Settle(_a);
        _harness.Report(_a, cpu: 0.5, memory: 0.5, queue: 0);
        _ = _harness.Store.Get(_b);
        _harness.Report(_b, cpu: 0.0, memory: 0.5, queue: 0);

        var early = _harness.Pick([_a, _b]);
        _harness.Clock.Advance(TimeSpan.FromMilliseconds(_harness.Options.CurrentValue.SlowStartMs));
        _harness.Report(_a, cpu: 0.5, memory: 0.5, queue: 0);
        _harness.Report(_b, cpu: 0.0, memory: 0.5, queue: 0);
        var later = _harness.Pick([_a, _b]);

        Assert.Same(_a, early);
        Assert.Same(_b, later);
    }

    [Fact]
    public void PickDestination_DestinationBackFromPassiveEjection_SlowStartsAgain()
    {
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0.5, memory: 0.5, queue: 0);
        _harness.Report(_b, cpu: 0.0, memory: 0.5, queue: 0);
        Assert.Same(_b, _harness.Pick([_a, _b]));

        _harness.Store.Get(_b).MarkEjected();
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(_a, _harness.Pick([_a, _b]));
        Assert.False(_harness.Store.Get(_b).IsEjected);
    }

    [Fact]
    public void PickDestination_OperationNotAllowedByMetadata_NeverDrawsThatDestination()
    {
        var restricted = PolicyHarness.Destination("reads-only", new Dictionary<string, string> { ["AgentSphere.Operations"] = "list, find" });
        _harness.Settle(restricted, _b, _c);

        // Ordinals 0 and 1 among the destinations allowed to deploy are b and c.
        var picked = _harness.Pick([restricted, _b, _c], AgentSphereOperation.Deploy, draws: [0, 1]);
        var listPicked = _harness.Pick([restricted, _b, _c], AgentSphereOperation.List, draws: [0, 1]);

        Assert.Same(_b, picked);
        Assert.Same(restricted, listPicked);
    }

    [Fact]
    public void PickDestination_NoDestinationAllowsOperation_ReturnsNull()
    {
        var restricted = PolicyHarness.Destination("reads-only", new Dictionary<string, string> { ["AgentSphere.Operations"] = "list" });

        Assert.Null(_harness.Pick([restricted], AgentSphereOperation.Deploy));
    }

    [Fact]
    public void PickDestination_PreferredForOperation_WinsOtherwiseEqualComparison()
    {
        var bigBox = PolicyHarness.Destination("big", new Dictionary<string, string> { ["AgentSphere.PreferredOperations"] = "deploy" });
        _harness.Settle(_a, bigBox);

        Assert.Same(bigBox, _harness.Pick([_a, bigBox], AgentSphereOperation.Deploy));
        Assert.Same(_a, _harness.Pick([_a, bigBox], AgentSphereOperation.List));
    }

    [Fact]
    public void PickDestination_Weights_AreConfigurable()
    {
        // a: lower CPU but slow; b: busy CPU but fast. The seed's weights favour latency; with latency weighted 0, CPU decides.
        static DestinationState? Run(PolicyHarness harness, DestinationState a, DestinationState b)
        {
            harness.Settle(a, b);
            harness.Report(a, cpu: 0.2, memory: 0.3, queue: 0);
            harness.Report(b, cpu: 0.8, memory: 0.3, queue: 0);
            harness.Latency(a, 1500);
            harness.Latency(b, 100);
            return harness.Pick([a, b]);
        }

        var a2 = PolicyHarness.Destination("a2");
        var b2 = PolicyHarness.Destination("b2");

        Assert.Same(_b, Run(new PolicyHarness(), _a, _b));
        Assert.Same(a2, Run(new PolicyHarness(o => o.Weights.Latency = 0), a2, b2));
    }

    [Fact]
    public void PickDestination_SlowOperationCeiling_KeepsLatencyTermMeaningfulForDeploys()
    {
        // Deploys take seconds: against the seed's flat 2000 ms both would score 0 on latency and tie.
        _harness.Settle(_a, _b);
        _harness.Latency(_a, 18_000, operation: AgentSphereOperation.Deploy);
        _harness.Latency(_b, 12_000, operation: AgentSphereOperation.Deploy);
        _a.ConcurrentRequestCount = 0;
        _b.ConcurrentRequestCount = 1;

        Assert.Same(_b, _harness.Pick([_a, _b], AgentSphereOperation.Deploy));
    }

    [Fact]
    public void PickDestination_SlowOperationLatency_IsScaledToTheSeedsRange()
    {
        // 3.5 s of deploy latency weighs like 233 ms of list latency, so an idle backend that
        // is a little slower still beats a saturated one. Unscaled, seconds of latency would swamp CPU and memory.
        _harness.Settle(_a, _b);
        _harness.Report(_a, cpu: 0.0, memory: 0.0, queue: 0);
        _harness.Report(_b, cpu: 1.0, memory: 1.0, queue: 0);
        _harness.Latency(_a, 15_500, operation: AgentSphereOperation.Deploy);
        _harness.Latency(_b, 12_000, operation: AgentSphereOperation.Deploy);

        Assert.Same(_a, _harness.Pick([_a, _b], AgentSphereOperation.Deploy));
    }

    [Fact]
    public void PickDestination_Steady_AllocatesNothing()
    {
        var harness = new PolicyHarness();
        var policy = new ScoredLoadBalancingPolicy(harness.Store, new SeededRandom(3));
        DestinationState[] destinations = [_a, _b, _c];
        harness.Settle(destinations);
        foreach (var destination in destinations)
        {
            harness.Report(destination, 0.3, 0.3, 1);
            harness.Latency(destination, 120);
        }

        var context = PolicyHarness.Context();
        var cluster = new ClusterState("agentsphere");
        for (var i = 0; i < 100; i++)
        {
            policy.PickDestination(context, cluster, destinations);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            policy.PickDestination(context, cluster, destinations);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class SeededRandom(int seed) : IRandomSource
    {
        private readonly Random _random = new(seed);

        public int Next(int maxExclusive) => _random.Next(maxExclusive);
    }
}
