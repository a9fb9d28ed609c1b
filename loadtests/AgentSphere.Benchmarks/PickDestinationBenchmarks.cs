using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Operations;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Benchmarks;

/// <summary>The cost of one pick: the scored policy against YARP's built-ins, over the same three destinations.</summary>
[MemoryDiagnoser]
public class PickDestinationBenchmarks
{
    private ServiceProvider _services = null!;
    private ILoadBalancingPolicy _scored = null!;
    private ILoadBalancingPolicy _powerOfTwo = null!;
    private ILoadBalancingPolicy _roundRobin = null!;
    private ILoadBalancingPolicy _leastRequests = null!;
    private DestinationState[] _destinations = null!;
    private HttpContext _context = null!;
    private ClusterState _cluster = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddRouting();
        services.AddReverseProxy();
        services.AddAgentSphereLoadBalancing();
        _services = services.BuildServiceProvider();
        var policies = _services.GetServices<ILoadBalancingPolicy>().ToDictionary(p => p.Name, StringComparer.Ordinal);
        _scored = policies[AgentSphereLoadBalancingPolicies.Scored];
        _powerOfTwo = policies[LoadBalancingPolicies.PowerOfTwoChoices];
        _roundRobin = policies[LoadBalancingPolicies.RoundRobin];
        _leastRequests = policies[LoadBalancingPolicies.LeastRequests];

        _destinations = new[] { "sim-1", "sim-2", "sim-3" }
            .Select(id => new DestinationState(id, new DestinationModel(new DestinationConfig { Address = $"http://{id}/" })))
            .ToArray();
        _context = new DefaultHttpContext();
        _context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(OperationMetadata.For(AgentSphereOperation.List)), "list"));
        _cluster = new ClusterState("agentsphere");

        // Give the scored policy every signal it uses: reports and latency samples on each destination.
        var recorder = _services.GetRequiredService<LoadSignalsRecorder>();
        foreach (var destination in _destinations)
        {
            var response = new DefaultHttpContext();
            response.SetEndpoint(_context.GetEndpoint());
            response.Response.Headers["X-AgentSphere-Load"] = "cpu=0.30;memory=0.40;queue=2";
            recorder.Record(response, destination, recorder.Start());
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public DestinationState? PowerOfTwoChoices() => _powerOfTwo.PickDestination(_context, _cluster, _destinations);

    [Benchmark]
    public DestinationState? AgentSphereScored() => _scored.PickDestination(_context, _cluster, _destinations);

    [Benchmark]
    public DestinationState? RoundRobin() => _roundRobin.PickDestination(_context, _cluster, _destinations);

    [Benchmark]
    public DestinationState? LeastRequests() => _leastRequests.PickDestination(_context, _cluster, _destinations);
}
