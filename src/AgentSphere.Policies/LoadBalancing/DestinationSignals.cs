using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Everything the scored policy knows about one destination, kept beside its YARP <c>DestinationState</c>.</summary>
/// <remarks>
/// Written on the response path (backend reports, latency and outcome samples, health transitions) and read on the
/// pick path. Reads take no lock and allocate nothing: scalars are read with <see cref="Volatile"/>, and a report's
/// fields may be read across an update, which only mixes two recent reports.
/// </remarks>
internal sealed class DestinationSignals
{
    private static readonly int OperationCount = AgentSphereOperations.All.Count;

    private readonly PeakEwma[] _latency;
    private readonly Lock _outcomeLock = new();

    // Backend report; _reportedAt == 0 means none yet.
    private double _cpu;
    private double _memory;
    private int _queue;
    private long _reportedAt;
    private int _activeSandboxes = -1;
    private int _consecutiveFailures;

    // Error score: 1 = every recent request failed.
    private double _errorScore;
    private long _errorUpdatedAt;

    // Slow start: when the destination arrived or came back; a pending re-admission after a passive ejection.
    private long _arrivedAt;
    private int _ejected;

    // Active health: consecutive failed probes.
    private int _probeFailures;

    // Passive health window.
    private long _windowStart;
    private int _windowRequests;
    private int _windowFailures;

    // Compatibility, parsed once per destination configuration.
    private object? _compatibilitySource;
    private int _allowedMask = -1;
    private int _preferredMask;

    public DestinationSignals(long now)
    {
        _arrivedAt = now;
        _latency = new PeakEwma[OperationCount];
        for (var i = 0; i < _latency.Length; i++)
        {
            _latency[i] = new PeakEwma();
        }
    }

    public long ArrivedAt => Volatile.Read(ref _arrivedAt);

    public long ReportedAt => Volatile.Read(ref _reportedAt);

    public LoadReport Report => new(Volatile.Read(ref _cpu), Volatile.Read(ref _memory), Volatile.Read(ref _queue));

    public bool IsEjected => Volatile.Read(ref _ejected) != 0;

    /// <summary>Sandboxes the backend said were running at its last health probe, or null when it does not say.</summary>
    public int? ActiveSandboxes => Volatile.Read(ref _activeSandboxes) is var count and >= 0 ? count : null;

    /// <summary>Records the backend's running-sandbox count from a health probe (null: it did not report one).</summary>
    public void RecordActiveSandboxes(int? count) => Volatile.Write(ref _activeSandboxes, count ?? -1);

    public PeakEwma Latency(AgentSphereOperation operation) => _latency[(int)operation];

    public void RecordReport(LoadReport report, long now)
    {
        Volatile.Write(ref _cpu, report.Cpu);
        Volatile.Write(ref _memory, report.Memory);
        Volatile.Write(ref _queue, report.QueueLength);
        Volatile.Write(ref _reportedAt, Math.Max(now, 1));
    }

    /// <summary>Records one proxied request's latency and whether it failed.</summary>
    public void RecordOutcome(AgentSphereOperation operation, double latencyMs, bool failed, long now, ScoringParameters parameters)
    {
        _latency[(int)operation].Record(failed ? Math.Max(latencyMs, parameters.FailureLatencyMs) : latencyMs, now, parameters.LatencyTauTicks);

        lock (_outcomeLock)
        {
            var current = ErrorScore(now, parameters);
            Volatile.Write(ref _errorScore, (current * (1 - parameters.ErrorSmoothing)) + ((failed ? 1 : 0) * parameters.ErrorSmoothing));
            Volatile.Write(ref _errorUpdatedAt, now);

            if (now - _windowStart > parameters.FailureWindowTicks)
            {
                _windowStart = now;
                _windowRequests = 0;
                _windowFailures = 0;
            }

            _windowRequests++;
            if (failed)
            {
                _windowFailures++;
                _consecutiveFailures++;
            }
            else
            {
                _consecutiveFailures = 0;
            }
        }
    }

    /// <summary>Whether the passive window holds enough requests and a failure rate at or over the threshold, or the last requests all failed.</summary>
    public bool FailureRateExceeded(ScoringParameters parameters)
    {
        lock (_outcomeLock)
        {
            return _consecutiveFailures >= parameters.ConsecutiveFailures
                || (_windowRequests >= parameters.FailureMinRequests && _windowFailures >= parameters.FailureRateThreshold * _windowRequests);
        }
    }

    public int IncrementProbeFailures() => Interlocked.Increment(ref _probeFailures);

    public void ResetProbeFailures() => Volatile.Write(ref _probeFailures, 0);

    /// <summary>The error score as of <paramref name="now"/>, decayed over the time without outcomes.</summary>
    public double ErrorScore(long now, ScoringParameters parameters)
    {
        var score = Volatile.Read(ref _errorScore);
        var idle = now - Volatile.Read(ref _errorUpdatedAt);
        return idle <= 0 || score == 0 ? score : score * Math.Exp(-idle / parameters.ErrorTauTicks);
    }

    /// <summary>The passive policy ejected the destination: its window restarts, and its return will begin a slow start.</summary>
    public void MarkEjected()
    {
        lock (_outcomeLock)
        {
            _windowRequests = 0;
            _windowFailures = 0;
            _consecutiveFailures = 0;
        }

        Volatile.Write(ref _ejected, 1);
    }

    /// <summary>Starts a slow start now (a recovered destination); clears a pending ejection.</summary>
    public void MarkArrived(long now)
    {
        Volatile.Write(ref _arrivedAt, now);
        Volatile.Write(ref _ejected, 0);
    }

    /// <summary>Called on the pick path when an ejected destination is offered again: one write, only at the transition.</summary>
    public void ReadmitIfEjected(long now)
    {
        if (Volatile.Read(ref _ejected) != 0 && Interlocked.Exchange(ref _ejected, 0) != 0)
        {
            Volatile.Write(ref _arrivedAt, now);
        }
    }

    /// <summary>0 when the destination may not serve the operation, 100 when it is preferred for it, else 50.</summary>
    public double Compatibility(AgentSphereOperation operation, IReadOnlyDictionary<string, string>? metadata)
    {
        if (!ReferenceEquals(Volatile.Read(ref _compatibilitySource), metadata))
        {
            ParseCompatibility(metadata);
        }

        var bit = 1 << (int)operation;
        if ((Volatile.Read(ref _allowedMask) & bit) == 0)
        {
            return 0;
        }

        return (Volatile.Read(ref _preferredMask) & bit) != 0 ? 100 : 50;
    }

    public bool IsAllowed(AgentSphereOperation operation, IReadOnlyDictionary<string, string>? metadata) =>
        Compatibility(operation, metadata) > 0;

    // Runs once per destination configuration (a config reload brings a new dictionary), never per request.
    private void ParseCompatibility(IReadOnlyDictionary<string, string>? metadata)
    {
        var allowed = -1;
        var preferred = 0;
        if (metadata is not null)
        {
            if (metadata.TryGetValue(AgentSphereLoadBalancingPolicies.AllowedOperationsMetadataKey, out var allowedList))
            {
                allowed = ParseMask(allowedList);
            }

            if (metadata.TryGetValue(AgentSphereLoadBalancingPolicies.PreferredOperationsMetadataKey, out var preferredList))
            {
                preferred = ParseMask(preferredList);
            }
        }

        Volatile.Write(ref _allowedMask, allowed);
        Volatile.Write(ref _preferredMask, preferred);
        Volatile.Write(ref _compatibilitySource, metadata);
    }

    /// <summary>Parses a comma-separated operation list into a bit mask; unknown names were rejected when the configuration loaded.</summary>
    internal static int ParseMask(string list)
    {
        var mask = 0;
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (AgentSphereOperations.TryParse(name, out var operation))
            {
                mask |= 1 << (int)operation;
            }
        }

        return mask;
    }
}
