namespace AgentSphere.Policies.Admission;

/// <summary>The admission layer (section <c>Admission</c>): global, per-operation and per-caller limits, the daily quota, priorities and the CPU and memory guard. Defaults are the seed report's numbers.</summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section, <c>Admission</c>.</summary>
    public const string SectionName = "Admission";

    /// <summary>Whether admission control runs at all; default true. When false, requests still need an API key.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Operations that need no <c>X-API-Key</c> (they are still limited globally and per operation); default <c>health</c> when none are listed.</summary>
    public List<string> AnonymousOperations { get; set; } = [];

    /// <summary>The global stage: requests in service across all callers, and the priority queue in front of it.</summary>
    public GlobalAdmissionOptions Global { get; set; } = new();

    /// <summary>Concurrent requests per operation name; an operation not listed has no limit of its own. Default <c>deploy</c> 10, <c>health</c> 30 (the seed's sandbox-creation and health-check limits).</summary>
    public Dictionary<string, int> Operations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The per-caller stage.</summary>
    public CallerAdmissionOptions Caller { get; set; } = new();

    /// <summary>The per-caller daily quota.</summary>
    public DailyQuotaOptions DailyQuota { get; set; } = new();

    /// <summary>Request priorities.</summary>
    public PriorityOptions Priorities { get; set; } = new();

    /// <summary>The CPU and memory guard.</summary>
    public ResourceGuardOptions Resources { get; set; } = new();

    /// <summary>The anonymous operations in force: <see cref="AnonymousOperations"/>, or <c>health</c> when none are listed.</summary>
    public IReadOnlyList<string> EffectiveAnonymousOperations() => AnonymousOperations.Count > 0 ? AnonymousOperations : ["health"];

    /// <summary>The per-operation limits in force: <see cref="Operations"/> over the seed's defaults.</summary>
    public IReadOnlyDictionary<string, int> EffectiveOperationLimits()
    {
        var limits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["deploy"] = 10, ["health"] = 30 };
        foreach (var (name, limit) in Operations)
        {
            limits[name] = limit;
        }

        return limits;
    }
}

/// <summary>The global stage of <see cref="AdmissionOptions"/>.</summary>
public sealed class GlobalAdmissionOptions
{
    /// <summary>Requests in service at once across all callers, 1 to 100000; default 50. Env <c>AGENTSPHERE_CONCURRENT_LIMIT</c>.</summary>
    public int MaxConcurrency { get; set; } = 50;

    /// <summary>Requests that may wait for a global slot, 0 to 100000; default 200.</summary>
    public int QueueLimit { get; set; } = 200;

    /// <summary>Above this many waiting requests the lowest priorities are shed, 0 to <see cref="QueueLimit"/>; default 100.</summary>
    public int ShedThreshold { get; set; } = 100;

    /// <summary>How long a request may wait for a global slot before it gets 503; default 30 s.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>Retry-After</c> sent with a 503 for overload; default 1 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The per-caller stage of <see cref="AdmissionOptions"/>.</summary>
public sealed class CallerAdmissionOptions
{
    /// <summary>Requests in service at once per caller (across instances when Redis is configured), 1 to 100000; default 5.</summary>
    public int MaxConcurrency { get; set; } = 5;

    /// <summary>A request header that names the end user behind an API key, so one key's users are limited apart; default none.</summary>
    public string? EndUserHeader { get; set; }

    /// <summary>The <c>Retry-After</c> sent with a 429 for a concurrency limit; default 1 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The per-caller daily quota of <see cref="AdmissionOptions"/>.</summary>
public sealed class DailyQuotaOptions
{
    /// <summary>Counted requests per caller per day, 0 to 100000000; 0 turns the quota off. Default 100.</summary>
    public int Limit { get; set; } = 100;

    /// <summary>The operations the quota counts; default <c>deploy</c> (sandbox creations).</summary>
    public List<string> Operations { get; set; } = [];

    /// <summary>The UTC hour, 0 to 23, at which every caller's count starts again; default 0.</summary>
    public int ResetHourUtc { get; set; }

    /// <summary>The counted operations in force: <see cref="Operations"/>, or <c>deploy</c> when none are listed.</summary>
    public IReadOnlyList<string> EffectiveOperations() => Operations.Count > 0 ? Operations : ["deploy"];
}

/// <summary>Request priorities of <see cref="AdmissionOptions"/>.</summary>
public sealed class PriorityOptions
{
    /// <summary>Priority per operation name (<c>critical</c>, <c>high</c>, <c>normal</c>, <c>low</c>); default health critical, cleanup high, list and find low, everything else normal.</summary>
    public Dictionary<string, string> Operations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request header a trusted caller raises its priority with; default <c>X-AgentSphere-Priority</c>. Ignored from anyone else.</summary>
    public string Header { get; set; } = "X-AgentSphere-Priority";

    /// <summary>Caller ids (32 hex characters: the first half of the SHA-256 of the API key) allowed to raise their priority; default none.</summary>
    public List<string> TrustedCallers { get; set; } = [];

    /// <summary>The priority map in force: <see cref="Operations"/> over the defaults.</summary>
    public IReadOnlyDictionary<string, string> EffectiveOperations()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["health"] = "critical",
            ["cleanup"] = "high",
            ["list"] = "low",
            ["find"] = "low",
        };
        foreach (var (name, priority) in Operations)
        {
            map[name] = priority;
        }

        return map;
    }
}

/// <summary>The CPU and memory guard of <see cref="AdmissionOptions"/>.</summary>
public sealed class ResourceGuardOptions
{
    /// <summary>Above this process CPU (percent of all cores) new low-priority work waits; default 70.</summary>
    public double CpuWaitPercent { get; set; } = 70;

    /// <summary>Above this process CPU low-priority work is shed and normal work waits; default 80.</summary>
    public double CpuShedPercent { get; set; } = 80;

    /// <summary>Above this managed heap, in MB, low and normal work is shed; default 500.</summary>
    public int MaxHeapMegabytes { get; set; } = 500;

    /// <summary>How often CPU and heap are sampled, off the request path; default 1 s.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);
}
