namespace AgentSphere.Simulator;

/// <summary>Settings of one simulated AgentSphere control plane, bound from the <c>Simulator</c> configuration section.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Name reported by <c>/health</c>; default <c>agentsphere-sim</c>.</summary>
    public string Name { get; set; } = "agentsphere-sim";

    /// <summary>Factor applied to the seed latency profile, &gt;= 0; 0 disables simulated latency; default 1.</summary>
    public double LatencyScale { get; set; } = 1.0;

    /// <summary>API requests served at once (service slots), &gt;= 1; the rest wait in a FIFO queue; default 100.</summary>
    public int Capacity { get; set; } = 100;

    /// <summary>Seed of the one random source (ids, tokens, latency and error draws); null picks a random seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Accepted <c>X-API-Key</c> values; empty (the default) accepts any non-empty key.</summary>
    public IList<string> ApiKeys { get; set; } = [];

    /// <summary>The <c>clientID</c> reported for every sandbox; default <c>6532622b</c>.</summary>
    public string ClientId { get; set; } = "6532622b";

    /// <summary>The <c>envdVersion</c> reported for every sandbox, at least 0.1.0 (the SDK refuses older); default 0.2.0.</summary>
    public string EnvdVersion { get; set; } = "0.2.0";

    /// <summary>Running sandboxes that count as 100 % memory in the load figure, &gt;= 1; default 1000.</summary>
    public int MaxSandboxes { get; set; } = 1000;

    internal SimulatorOptions Clone()
    {
        var copy = new SimulatorOptions();
        CopyTo(copy);
        return copy;
    }

    internal void CopyTo(SimulatorOptions target)
    {
        target.Name = Name;
        target.LatencyScale = LatencyScale;
        target.Capacity = Capacity;
        target.Seed = Seed;
        target.ApiKeys = [.. ApiKeys];
        target.ClientId = ClientId;
        target.EnvdVersion = EnvdVersion;
        target.MaxSandboxes = MaxSandboxes;
    }
}
