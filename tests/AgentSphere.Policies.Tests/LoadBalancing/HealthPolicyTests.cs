using System.Net;
using System.Text;
using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.Tests.LoadBalancing;

public sealed class HealthPolicyTests : IDisposable
{
    private readonly PolicyHarness _harness = new();
    private readonly RecordingHealthUpdater _updater = new();
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler());
    private readonly DestinationState _a = PolicyHarness.Destination("a");
    private readonly ClusterState _cluster;

    public HealthPolicyTests()
    {
        var config = new ClusterConfig
        {
            ClusterId = "agentsphere",
            HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig { ReactivationPeriod = TimeSpan.FromSeconds(20) } },
        };
        _cluster = new ClusterState("agentsphere", new ClusterModel(config, _invoker));
    }

    public void Dispose() => _invoker.Dispose();

    [Fact]
    public void RequestProxied_FiveHundredsPastThreshold_EjectsForReactivationPeriod()
    {
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);

        for (var i = 0; i < 10; i++)
        {
            Proxy(i < 5 ? 503 : 200);
            policy.RequestProxied(new DefaultHttpContext(), _cluster, _a);
        }

        var (destination, health, reactivation) = Assert.Single(_updater.Passive);
        Assert.Same(_a, destination);
        Assert.Equal(DestinationHealth.Unhealthy, health);
        Assert.Equal(TimeSpan.FromSeconds(20), reactivation);
        Assert.True(_harness.Store.Get(_a).IsEjected);
    }

    [Fact]
    public void RequestProxied_FailuresBelowMinimumRequests_KeepDestination()
    {
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);

        // Eight failures in nine requests, never five in a row: under the ten requests the rate needs.
        for (var i = 0; i < 9; i++)
        {
            Proxy(i == 4 ? 200 : 503);
            policy.RequestProxied(new DefaultHttpContext(), _cluster, _a);
        }

        Assert.Empty(_updater.Passive);
    }

    [Fact]
    public void RequestProxied_FiveFailuresInARow_EjectsBeforeTheRateHasEnoughRequests()
    {
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);

        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(_updater.Passive);
            Proxy(502);
            policy.RequestProxied(new DefaultHttpContext(), _cluster, _a);
        }

        var (destination, health, _) = Assert.Single(_updater.Passive);
        Assert.Same(_a, destination);
        Assert.Equal(DestinationHealth.Unhealthy, health);
        Assert.True(_harness.Store.Get(_a).IsEjected);
    }

    [Theory]
    [InlineData(3, 50, 1)]
    [InlineData(4, 50, 2)]
    [InlineData(4, 100, 4)]
    [InlineData(2, 1, 1)]
    public void RequestProxied_EveryDestinationFailingTogether_OpensNoMoreCircuitsThanTheCap(int destinations, int maxPercent, int expectedOpen)
    {
        _harness.Options.CurrentValue.MaxEjectionPercent = maxPercent;
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);
        var fleet = Enumerable.Range(0, destinations).Select(i => PolicyHarness.Destination($"d{i}")).ToList();
        var cluster = new ClusterState("agentsphere", new ClusterModel(new ClusterConfig { ClusterId = "agentsphere" }, _invoker));
        fleet.ForEach(d => cluster.Destinations[d.DestinationId] = d);

        for (var round = 0; round < 5; round++)
        {
            foreach (var destination in fleet)
            {
                Proxy(502, destination: destination);
                policy.RequestProxied(new DefaultHttpContext(), cluster, destination);
            }
        }

        Assert.Equal(expectedOpen, _updater.Passive.Count);
        Assert.Equal(expectedOpen, fleet.Count(d => d.Health.Passive == DestinationHealth.Unhealthy));

        // Once an open circuit closes, a destination still failing may take its place.
        var closed = _updater.Passive[0].Destination;
        closed.Health.Passive = DestinationHealth.Healthy;
        var stillFailing = fleet.FirstOrDefault(d => d.Health.Passive != DestinationHealth.Unhealthy && !ReferenceEquals(d, closed));
        if (stillFailing is not null)
        {
            Proxy(502, destination: stillFailing);
            policy.RequestProxied(new DefaultHttpContext(), cluster, stillFailing);
            Assert.Equal(DestinationHealth.Unhealthy, stillFailing.Health.Passive);
        }
    }

    [Fact]
    public void RequestProxied_FailureRateBelowThreshold_KeepsDestination()
    {
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);

        for (var i = 0; i < 30; i++)
        {
            Proxy(i % 3 == 0 ? 500 : 200); // one in three fails: under the 50 % threshold
            policy.RequestProxied(new DefaultHttpContext(), _cluster, _a);
        }

        Assert.Empty(_updater.Passive);
    }

    [Fact]
    public void RequestProxied_Timeouts_CountAsFailures()
    {
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);

        for (var i = 0; i < 10; i++)
        {
            Proxy(504, ForwarderError.RequestTimedOut);
            policy.RequestProxied(new DefaultHttpContext(), _cluster, _a);
        }

        Assert.NotEmpty(_updater.Passive);
    }

    [Fact]
    public void Record_ClientCancellation_SaysNothingAboutBackend()
    {
        var policy = new FailureRateHealthPolicy(_harness.Store, _updater, _harness.Options);

        for (var i = 0; i < 20; i++)
        {
            Proxy(502, ForwarderError.RequestCanceled);
            policy.RequestProxied(new DefaultHttpContext(), _cluster, _a);
        }

        Assert.Empty(_updater.Passive);
        Assert.False(_harness.Store.Get(_a).Latency(AgentSphereOperation.List).HasSamples);
    }

    [Fact]
    public void Record_LoadHeader_UpdatesReport()
    {
        Proxy(200, loadHeader: "cpu=0.7;memory=0.2;queue=9");

        Assert.Equal(new LoadReport(0.7, 0.2, 9), _harness.Store.Get(_a).Report);
    }

    [Fact]
    public void ProbingCompleted_HealthyProbe_RecordsHeaderReport()
    {
        var policy = new LoadReportingHealthPolicy(_harness.Store, _updater, _harness.Options);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("Health check successful") };
        response.Headers.Add("X-AgentSphere-Load", "cpu=0.9;memory=0.8;queue=40");

        policy.ProbingCompleted(_cluster, [new DestinationProbingResult(_a, response, null)]);

        Assert.Equal(DestinationHealth.Healthy, Assert.Single(_updater.Active).NewActiveHealth);
        Assert.Equal(new LoadReport(0.9, 0.8, 40), _harness.Store.Get(_a).Report);
    }

    [Fact]
    public async Task ProbingCompleted_HealthyProbe_RecordsBodyReportEvenAfterResponseIsDisposed()
    {
        var policy = new LoadReportingHealthPolicy(_harness.Store, _updater, _harness.Options);
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"status":"ok","cpu":0.11,"memory":0.22,"queueLength":3}""", Encoding.UTF8, "application/json"),
        };

        policy.ProbingCompleted(_cluster, [new DestinationProbingResult(_a, response, null)]);
        response.Dispose(); // as YARP does right after the policy returns

        await EventuallyAsync(() => _harness.Store.Get(_a).Report == new LoadReport(0.11, 0.22, 3));
    }

    [Fact]
    public void ProbingCompleted_ConsecutiveFailures_MarkUnhealthyAtThreshold()
    {
        var policy = new LoadReportingHealthPolicy(_harness.Store, _updater, _harness.Options);
        _a.Health.Active = DestinationHealth.Healthy;

        policy.ProbingCompleted(_cluster, [new DestinationProbingResult(_a, null, new HttpRequestException("refused"))]);
        var afterOne = _updater.Active[^1].NewActiveHealth;
        using var error = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        policy.ProbingCompleted(_cluster, [new DestinationProbingResult(_a, error, null)]);
        var afterTwo = _updater.Active[^1].NewActiveHealth;

        Assert.Equal(DestinationHealth.Healthy, afterOne);
        Assert.Equal(DestinationHealth.Unhealthy, afterTwo);
    }

    [Fact]
    public void ProbingCompleted_RecoveryFromUnhealthy_StartsSlowStart()
    {
        var policy = new LoadReportingHealthPolicy(_harness.Store, _updater, _harness.Options);
        _harness.Settle(_a);
        Assert.Equal(1, DestinationScorer.SlowStartFactor(_harness.Store.Get(_a), _harness.Now, _harness.Parameters));
        _a.Health.Active = DestinationHealth.Unhealthy;
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);

        policy.ProbingCompleted(_cluster, [new DestinationProbingResult(_a, ok, null)]);

        Assert.Equal(0.1, DestinationScorer.SlowStartFactor(_harness.Store.Get(_a), _harness.Now, _harness.Parameters), 3);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private void Proxy(int status, ForwarderError? error = null, string? loadHeader = null, DestinationState? destination = null)
    {
        var context = PolicyHarness.Context();
        context.Response.StatusCode = status;
        if (loadHeader is not null)
        {
            context.Response.Headers["X-AgentSphere-Load"] = loadHeader;
        }

        if (error is { } e)
        {
            context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(e));
        }

        _harness.Recorder.Record(context, destination ?? _a, _harness.Recorder.Start());
    }

    private sealed record ErrorFeature(ForwarderError Error) : IForwarderErrorFeature
    {
        public Exception? Exception => null;
    }

    private sealed class RecordingHealthUpdater : IDestinationHealthUpdater
    {
        public List<NewActiveDestinationHealth> Active { get; } = [];

        public List<(DestinationState Destination, DestinationHealth Health, TimeSpan Reactivation)> Passive { get; } = [];

        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates) => Active.AddRange(newHealthStates);

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod)
        {
            Passive.Add((destination, newHealth, reactivationPeriod));
            destination.Health.Passive = newHealth;
        }
    }
}
