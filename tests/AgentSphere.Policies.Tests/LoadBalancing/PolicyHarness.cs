using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.Tests.LoadBalancing;

/// <summary>The scored policy over plain destination states, a scripted random and a fake clock.</summary>
internal sealed class PolicyHarness
{
    public PolicyHarness(Action<ScoredLoadBalancingOptions>? configure = null)
    {
        var options = new ScoredLoadBalancingOptions();
        configure?.Invoke(options);
        Options = new FixedOptionsMonitor<ScoredLoadBalancingOptions>(options);
        Store = new DestinationSignalsStore(Options, Clock);
        Policy = new ScoredLoadBalancingPolicy(Store, Random);
        Recorder = new LoadSignalsRecorder(Store);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));

    public ScriptedRandom Random { get; } = new();

    public FixedOptionsMonitor<ScoredLoadBalancingOptions> Options { get; }

    public DestinationSignalsStore Store { get; }

    public ScoredLoadBalancingPolicy Policy { get; }

    public LoadSignalsRecorder Recorder { get; }

    public ScoringParameters Parameters => Store.Parameters;

    public long Now => Store.Now;

    public static DestinationState Destination(string id, IReadOnlyDictionary<string, string>? metadata = null) =>
        new(id, new DestinationModel(new DestinationConfig { Address = $"http://{id}.test/", Metadata = metadata }));

    public static HttpContext Context(AgentSphereOperation operation = AgentSphereOperation.List)
    {
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(OperationMetadata.For(operation)), operation.GetName()));
        return context;
    }

    /// <summary>All destinations have been known long enough that slow start no longer applies.</summary>
    public void Settle(params DestinationState[] destinations)
    {
        foreach (var destination in destinations)
        {
            _ = Store.Get(destination);
        }

        Clock.Advance(TimeSpan.FromMilliseconds(Options.CurrentValue.SlowStartMs + 1));
    }

    public void Report(DestinationState destination, double cpu, double memory, int queue) =>
        Store.Get(destination).RecordReport(new LoadReport(cpu, memory, queue), Now);

    public void Latency(DestinationState destination, double ms, bool failed = false, AgentSphereOperation operation = AgentSphereOperation.List) =>
        Store.Get(destination).RecordOutcome(operation, ms, failed, Now, Parameters);

    /// <summary>Picks with the random scripted to draw the given ordinals among compatible destinations.</summary>
    public DestinationState? Pick(IReadOnlyList<DestinationState> destinations, AgentSphereOperation operation = AgentSphereOperation.List, params int[] draws)
    {
        Random.Script(draws.Length == 0 ? [0, 1] : draws);
        return Policy.PickDestination(Context(operation), new ClusterState("agentsphere"), destinations);
    }
}

internal sealed class ScriptedRandom : IRandomSource
{
    private readonly Queue<int> _values = new();

    public void Script(IEnumerable<int> values)
    {
        _values.Clear();
        foreach (var value in values)
        {
            _values.Enqueue(value);
        }
    }

    public int Next(int maxExclusive)
    {
        var value = _values.Count > 0 ? _values.Dequeue() : 0;
        Assert.InRange(value, 0, maxExclusive - 1);
        return value;
    }
}

internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
