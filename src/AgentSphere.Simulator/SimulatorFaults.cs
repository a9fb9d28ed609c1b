namespace AgentSphere.Simulator;

/// <summary>Faults injected into a simulator (JSON names are camelCase: <c>extraLatencyMs</c>, <c>errorRate</c>, <c>down</c>, ...).</summary>
public sealed class SimulatorFaults
{
    /// <summary>Milliseconds added to every API request's simulated latency, &gt;= 0; default 0.</summary>
    public int ExtraLatencyMs { get; set; }

    /// <summary>Factor applied to the sampled latency, &gt;= 0; default 1.</summary>
    public double LatencyFactor { get; set; } = 1;

    /// <summary>Probability (0..1) that an API request fails at once with <see cref="ErrorStatusCode"/>; default 0.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Status code of the simulated failures, 400..599; default 500.</summary>
    public int ErrorStatusCode { get; set; } = 500;

    /// <summary>When true every request except <c>/_sim/*</c> has its connection aborted, like a dead backend.</summary>
    public bool Down { get; set; }

    /// <summary>Overrides the reported CPU load (0..1); null keeps the computed figure.</summary>
    public double? Cpu { get; set; }

    /// <summary>Overrides the reported memory load (0..1); null keeps the computed figure.</summary>
    public double? Memory { get; set; }

    internal SimulatorFaults Clone() => new()
    {
        ExtraLatencyMs = ExtraLatencyMs,
        LatencyFactor = LatencyFactor,
        ErrorRate = ErrorRate,
        ErrorStatusCode = ErrorStatusCode,
        Down = Down,
        Cpu = Cpu,
        Memory = Memory,
    };
}
