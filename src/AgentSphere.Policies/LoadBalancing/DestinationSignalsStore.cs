using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>The signals of every destination, attached to YARP's <see cref="DestinationState"/> objects so they live exactly as long as the destinations do.</summary>
internal sealed class DestinationSignalsStore : IDisposable
{
    private readonly ConditionalWeakTable<DestinationState, DestinationSignals> _signals = new();
    private readonly ConditionalWeakTable<DestinationState, DestinationSignals>.CreateValueCallback _create;
    private readonly IDisposable? _optionsChange;
    private ScoringParameters _parameters;

    public DestinationSignalsStore(IOptionsMonitor<ScoredLoadBalancingOptions> options, TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        _create = _ => new DestinationSignals(Now);
        _parameters = new ScoringParameters(options.CurrentValue, timeProvider.TimestampFrequency);
        _optionsChange = options.OnChange(o => Volatile.Write(ref _parameters, new ScoringParameters(o, timeProvider.TimestampFrequency)));
    }

    public TimeProvider TimeProvider { get; }

    public ScoringParameters Parameters => Volatile.Read(ref _parameters);

    public long Now => TimeProvider.GetTimestamp();

    /// <summary>The signals of <paramref name="destination"/>; created on first use (a new destination starts its slow start then).</summary>
    public DestinationSignals Get(DestinationState destination) =>
        _signals.TryGetValue(destination, out var signals) ? signals : _signals.GetValue(destination, _create);

    public void Dispose() => _optionsChange?.Dispose();
}
