namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The mutable record the store keeps per sandbox; only touched under the store's lock.</summary>
internal sealed class SandboxEntry(string team, SandboxInfo info, IReadOnlyDictionary<string, string> envVars)
{
    private const int MaxEvents = 1000;

    private readonly Queue<SandboxEvent> _events = new();

    /// <summary>SHA-256 hash of the API key that created the sandbox.</summary>
    public string Team { get; } = team;

    public SandboxInfo Info { get; set; } = info;

    public IReadOnlyDictionary<string, string> EnvVars { get; } = envVars;

    public bool IsRunning => Info.State == SandboxState.Running;

    public void AddEvent(SandboxEvent entry)
    {
        // Bounded, so a sandbox kept alive for days by frequent refreshes does not grow without limit.
        if (_events.Count == MaxEvents)
        {
            _events.Dequeue();
        }

        _events.Enqueue(entry);
    }

    public SandboxEvent[] GetEvents() => [.. _events];
}
