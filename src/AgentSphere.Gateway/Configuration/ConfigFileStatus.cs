namespace AgentSphere.Gateway.Configuration;

/// <summary>The outcome of the latest (re)load of one watched configuration file, so an invalid edit is reported while the last good content stays in force.</summary>
public sealed class ConfigFileStatus
{
    private readonly Lock _lock = new();
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private int _loads;

    /// <summary>Creates the status of <paramref name="path"/>.</summary>
    public ConfigFileStatus(string path) => Path = path;

    /// <summary>Raised after every load attempt, good or bad.</summary>
    public event Action<ConfigFileStatus>? Changed;

    /// <summary>The absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>Why the latest load was rejected, or null when it was accepted.</summary>
    public string? LastError
    {
        get
        {
            lock (_lock)
            {
                return _lastError;
            }
        }
    }

    /// <summary>When the latest rejected load happened.</summary>
    public DateTimeOffset? LastErrorAt
    {
        get
        {
            lock (_lock)
            {
                return _lastErrorAt;
            }
        }
    }

    /// <summary>Checks a reloaded file's parsed content before it is accepted: null when it may go into force, else why not.</summary>
    internal Func<IReadOnlyDictionary<string, string?>, string?>? CandidateValidator { get; set; }

    /// <summary>How many times the file was read successfully.</summary>
    public int SuccessfulLoads => Volatile.Read(ref _loads);

    internal void ReportLoaded()
    {
        lock (_lock)
        {
            _lastError = null;
            _loads++;
        }

        Changed?.Invoke(this);
    }

    internal void ReportRejected(string error, DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastError = error;
            _lastErrorAt = at;
        }

        Changed?.Invoke(this);
    }
}
