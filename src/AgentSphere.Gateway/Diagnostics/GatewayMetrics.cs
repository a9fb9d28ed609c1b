using AgentSphere.Gateway.Caching;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;
using AgentSphere.Policies.Metrics;
using Prometheus;
using System.Collections.Concurrent;

namespace AgentSphere.Gateway.Diagnostics;

/// <summary>Owns every Prometheus instrument the gateway exports at <c>/metrics</c>, in a registry of its own (so two gateways in one process never share counters).</summary>
/// <remarks>Labels are operation, policy, priority and outcome names only: never an API key, caller id or sandbox id.</remarks>
internal sealed class GatewayMetrics
{
    private readonly Counter.Child[] _admitted;
    private readonly Counter.Child[,] _rejected;
    private readonly Counter _unauthenticated;
    private readonly Counter.Child _adminWrongToken;
    private readonly Counter.Child _adminRateLimited;
    private readonly Counter _requestRefusals;
    private readonly Counter.Child[,] _cacheLookups;
    private readonly Counter.Child[] _cacheWriteEvictions;
    private readonly Counter.Child[] _cacheTierHits;
    private readonly Counter.Child[,] _cacheTierEvictions;
    private readonly Gauge.Child[] _cacheTierEntries;
    private readonly Gauge.Child[] _cacheTierBytes;
    private readonly Counter _cacheStoreMisses;
    private readonly Counter _cacheStoreSets;
    private readonly Counter _cacheTooLarge;
    private readonly Histogram _requestDuration;
    private readonly ConcurrentDictionary<(AgentSphereOperation Operation, string Route, int StatusClass, string Destination), Histogram.Child> _durationChildren = new();
    private readonly Counter.Child[] _requestErrors;
    private readonly Gauge _requestsInFlight;
    private readonly Gauge.Child[] _alertLevels;

    public GatewayMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        // No exemplars: the gateway exports no traces for a trace id to point to, and recording one costs every observation.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();

        var decisions = factory.CreateCounter(
            "agentsphere_gateway_admission_decisions_total",
            "Admission decisions by operation, outcome (admitted or rejected) and the policy that decided.",
            ["operation", "outcome", "policy"]);
        var operations = AgentSphereOperations.All;
        _admitted = new Counter.Child[operations.Count];
        _rejected = new Counter.Child[operations.Count, AdmissionPolicies.Names.Count];
        foreach (var operation in operations)
        {
            _admitted[(int)operation] = decisions.WithLabels(operation.GetName(), "admitted", AdmissionPolicy.None.GetName());
            for (var p = 1; p < AdmissionPolicies.Names.Count; p++)
            {
                _rejected[(int)operation, p] = decisions.WithLabels(operation.GetName(), "rejected", AdmissionPolicies.Names[p]);
            }
        }

        _unauthenticated = factory.CreateCounter(
            "agentsphere_gateway_unauthenticated_requests_total",
            "Requests refused with 401 because they carried no X-API-Key.");

        var adminRefusals = factory.CreateCounter(
            "agentsphere_gateway_admin_token_refusals_total",
            "Management requests refused for their admin token: wrong_token (401) or rate_limited (429, the peer sent Management:FailedTokenLimit wrong tokens).",
            ["reason"]);
        _adminWrongToken = adminRefusals.WithLabels("wrong_token");
        _adminRateLimited = adminRefusals.WithLabels("rate_limited");

        _requestRefusals = factory.CreateCounter(
            "agentsphere_gateway_request_refusals_total",
            "Requests the gateway refused before identifying the caller: payload-too-large (413), uri-too-long (414), request-headers-too-large (431), method-not-allowed (405). Kestrel's own rejections of malformed requests are not counted here.",
            ["reason"]);

        AdmissionInService = factory.CreateGauge("agentsphere_gateway_admission_in_service", "Requests holding a global admission slot.");
        AdmissionWaiting = factory.CreateGauge("agentsphere_gateway_admission_waiting", "Requests waiting for a global admission slot, by priority.", ["priority"]);
        ProcessCpuPercent = factory.CreateGauge("agentsphere_gateway_process_cpu_percent", "Gateway process CPU over the last sample, percent of all cores.");
        ProcessHeapBytes = factory.CreateGauge("agentsphere_gateway_process_heap_bytes", "Gateway managed heap at the last sample, in bytes.");
        SharedStateAvailable = factory.CreateGauge(
            "agentsphere_gateway_shared_state_available",
            "1 when caller limits and quotas are shared through Redis, 0 when this instance counts locally (no Redis configured, or Redis unreachable).");
        SharedStateFallbacks = factory.CreateCounter(
            "agentsphere_gateway_shared_state_fallbacks_total",
            "Caller-limit and quota decisions made on local counters because Redis was unreachable.");

        var lookups = factory.CreateCounter(
            "agentsphere_gateway_cache_requests_total",
            "Cacheable reads by operation and result: hit (served from the cache), miss (fetched from a backend) or bypass (the request said no-cache).",
            ["operation", "result"]);
        string[] results = ["hit", "miss", "bypass"];
        _cacheLookups = new Counter.Child[operations.Count, results.Length];
        var writeEvictions = factory.CreateCounter(
            "agentsphere_gateway_cache_write_evictions_total",
            "Writes that evicted their caller's cached lists and their sandbox's entries, by operation.",
            ["operation"]);
        _cacheWriteEvictions = new Counter.Child[operations.Count];
        foreach (var operation in operations)
        {
            for (var r = 0; r < results.Length; r++)
            {
                _cacheLookups[(int)operation, r] = lookups.WithLabels(operation.GetName(), results[r]);
            }

            _cacheWriteEvictions[(int)operation] = writeEvictions.WithLabels(operation.GetName());
        }

        string[] tiers = ["l1", "l2", "redis"];
        string[] reasons = ["capacity", "expired", "tag"];
        var tierHits = factory.CreateCounter("agentsphere_gateway_cache_tier_hits_total", "Cache lookups answered by each tier (the first tier that had the response).", ["tier"]);
        var tierEvictions = factory.CreateCounter(
            "agentsphere_gateway_cache_tier_evictions_total",
            "Entries each tier dropped, by reason: capacity (least recently used over the bound), expired, tag (evicted by a write, here or on another instance).",
            ["tier", "reason"]);
        var tierEntries = factory.CreateGauge("agentsphere_gateway_cache_tier_entries", "Responses each memory tier holds.", ["tier"]);
        var tierBytes = factory.CreateGauge("agentsphere_gateway_cache_tier_bytes", "Response body bytes each memory tier holds.", ["tier"]);
        _cacheTierHits = new Counter.Child[tiers.Length];
        _cacheTierEvictions = new Counter.Child[tiers.Length, reasons.Length];
        _cacheTierEntries = new Gauge.Child[2];
        _cacheTierBytes = new Gauge.Child[2];
        for (var t = 0; t < tiers.Length; t++)
        {
            _cacheTierHits[t] = tierHits.WithLabels(tiers[t]);
            for (var r = 0; r < reasons.Length; r++)
            {
                _cacheTierEvictions[t, r] = tierEvictions.WithLabels(tiers[t], reasons[r]);
            }

            if (t < 2)
            {
                _cacheTierEntries[t] = tierEntries.WithLabels(tiers[t]);
                _cacheTierBytes[t] = tierBytes.WithLabels(tiers[t]);
            }
        }

        _cacheStoreMisses = factory.CreateCounter("agentsphere_gateway_cache_store_misses_total", "Cache lookups no tier could answer.");
        _cacheStoreSets = factory.CreateCounter("agentsphere_gateway_cache_store_sets_total", "Responses stored in the cache.");
        _cacheTooLarge = factory.CreateCounter("agentsphere_gateway_cache_too_large_total", "Responses not cached because their body passed Caching:Store:MaxEntryBytes.");

        _requestDuration = factory.CreateHistogram(
            "agentsphere_gateway_request_duration_seconds",
            "Time from the caller's identification to the response's end, admission wait and cache included, by operation, route, status class and destination (none: answered by the gateway).",
            new HistogramConfiguration
            {
                LabelNames = ["operation", "route", "status_class", "destination"],
                Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.8, 1, 1.5, 2, 3, 5, 8, 10, 15, 20, 30],
            });
        var errors = factory.CreateCounter(
            "agentsphere_gateway_request_errors_total",
            "Requests that ended in a 5xx or a transport failure, by operation.",
            ["operation"]);
        _requestErrors = [.. operations.Select(o => errors.WithLabels(o.GetName()))];
        _requestsInFlight = factory.CreateGauge("agentsphere_gateway_requests_in_flight", "Requests between identification and the end of their response.");

        SystemCpuPercent = factory.CreateGauge("agentsphere_gateway_system_cpu_percent", "Whole-machine CPU use over the last alert evaluation interval, percent.");
        SystemMemoryPercent = factory.CreateGauge("agentsphere_gateway_system_memory_percent", "Whole-machine memory in use (total minus available), percent.");
        ProcessWorkingSetBytes = factory.CreateGauge("agentsphere_gateway_process_working_set_bytes", "The gateway process's working set, in bytes.");
        ActiveSandboxes = factory.CreateGauge("agentsphere_gateway_active_sandboxes", "Running sandboxes, as the backends last reported them (the largest report).");
        StartTimeSeconds = factory.CreateGauge("agentsphere_gateway_start_time_seconds", "When this gateway started, Unix time in seconds.");
        var alertLevel = factory.CreateGauge(
            "agentsphere_gateway_alert_level",
            "The alert in force per metric: 0 none, 1 warning, 2 critical, 3 emergency.",
            ["metric"]);
        _alertLevels = [.. AlertMetrics.All.Select(m => alertLevel.WithLabels(AlertMetricLabel(m)))];
        BackendHealthy = factory.CreateGauge("agentsphere_gateway_backend_healthy", "1 when the destination takes traffic (active and passive health not unhealthy), else 0.", ["destination"]);
        BackendScore = factory.CreateGauge("agentsphere_gateway_backend_score", "The destination's load-balancing score for list requests (the seed's formula).", ["destination"]);
        BackendCpuRatio = factory.CreateGauge("agentsphere_gateway_backend_cpu_ratio", "CPU the destination last reported, 0 to 1.", ["destination"]);
        BackendMemoryRatio = factory.CreateGauge("agentsphere_gateway_backend_memory_ratio", "Memory the destination last reported, 0 to 1.", ["destination"]);
        BackendQueueLength = factory.CreateGauge("agentsphere_gateway_backend_queue_length", "Queue length the destination last reported.", ["destination"]);
    }

    public Gauge SystemCpuPercent { get; }

    public Gauge SystemMemoryPercent { get; }

    public Gauge ProcessWorkingSetBytes { get; }

    public Gauge ActiveSandboxes { get; }

    public Gauge StartTimeSeconds { get; }

    public Gauge BackendHealthy { get; }

    public Gauge BackendScore { get; }

    public Gauge BackendCpuRatio { get; }

    public Gauge BackendMemoryRatio { get; }

    public Gauge BackendQueueLength { get; }

    /// <summary>The metric label of an alert metric, for example <c>system_cpu</c>.</summary>
    public static string AlertMetricLabel(AlertMetric metric) => metric switch
    {
        AlertMetric.SystemMemory => "system_memory",
        AlertMetric.SystemCpu => "system_cpu",
        AlertMetric.GatewayMemory => "gateway_memory",
        AlertMetric.ActiveSandboxes => "active_sandboxes",
        AlertMetric.ResponseTime => "response_time",
        _ => metric.ToString(),
    };

    /// <summary>Sets the alert level gauge of <paramref name="metric"/>.</summary>
    public void SetAlertLevel(AlertMetric metric, AlertLevel level) => _alertLevels[(int)metric].Set((int)level);

    /// <summary>Counts a request entering the gateway's timing.</summary>
    public void RequestStarted() => _requestsInFlight.Inc();

    /// <summary>Records a finished request: its duration under its labels, and an error when it failed.</summary>
    public void RequestFinished(AgentSphereOperation operation, string? route, int status, string? destination, TimeSpan elapsed, bool failed)
    {
        _requestsInFlight.Dec();
        var statusClass = Math.Clamp(status / 100, 1, 5);
        var key = (operation, route ?? "none", statusClass, destination ?? "none");
        if (!_durationChildren.TryGetValue(key, out var child))
        {
            child = _durationChildren.GetOrAdd(key, static (k, histogram) =>
                histogram.WithLabels(k.Operation.GetName(), k.Route, StatusClassLabels[k.StatusClass], k.Destination), _requestDuration);
        }

        child.Observe(elapsed.TotalSeconds);
        if (failed)
        {
            _requestErrors[(int)operation].Inc();
        }
    }

    private static readonly string[] StatusClassLabels = ["0xx", "1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    public Gauge AdmissionInService { get; }

    public Gauge AdmissionWaiting { get; }

    public Gauge ProcessCpuPercent { get; }

    public Gauge ProcessHeapBytes { get; }

    public Gauge SharedStateAvailable { get; }

    public Counter SharedStateFallbacks { get; }

    /// <summary>Counts one admitted request.</summary>
    public void Admitted(AgentSphereOperation operation) => _admitted[(int)operation].Inc();

    /// <summary>Counts one refused request.</summary>
    public void Rejected(AgentSphereOperation operation, AdmissionPolicy policy) => _rejected[(int)operation, (int)policy].Inc();

    /// <summary>Counts one request refused for having no API key.</summary>
    public void Unauthenticated() => _unauthenticated.Inc();

    /// <summary>Counts a request refused for its shape (a problem type of <c>RequestLimitProblems</c> or <c>method-not-allowed</c>).</summary>
    public void RequestRefused(string problem) => _requestRefusals.WithLabels(problem).Inc();

    /// <summary>Counts one management request refused for a wrong admin token.</summary>
    public void AdminWrongToken() => _adminWrongToken.Inc();

    /// <summary>Counts one management request refused because its peer sent too many wrong admin tokens.</summary>
    public void AdminRateLimited() => _adminRateLimited.Inc();

    /// <summary>Counts one cacheable read by what the cache did for it.</summary>
    public void CacheLookup(AgentSphereOperation operation, CacheLookupResult result) => _cacheLookups[(int)operation, (int)result].Inc();

    /// <summary>Counts one write that evicted cached responses.</summary>
    public void CacheWriteEviction(AgentSphereOperation operation) => _cacheWriteEvictions[(int)operation].Inc();

    /// <summary>Brings the cache store's counters and sizes up to date (at scrape time).</summary>
    public void UpdateCacheStore(OutputCacheStatistics statistics)
    {
        var snapshot = statistics.Snapshot();
        foreach (var tier in Enum.GetValues<OutputCacheTier>())
        {
            _cacheTierHits[(int)tier].IncTo(snapshot.Hits(tier));
            foreach (var reason in Enum.GetValues<OutputCacheEvictionReason>())
            {
                _cacheTierEvictions[(int)tier, (int)reason].IncTo(snapshot.Evictions(tier, reason));
            }

            if (tier != OutputCacheTier.Redis)
            {
                var (entries, bytes) = statistics.Size(tier);
                _cacheTierEntries[(int)tier].Set(entries);
                _cacheTierBytes[(int)tier].Set(bytes);
            }
        }

        _cacheStoreMisses.IncTo(snapshot.Misses);
        _cacheStoreSets.IncTo(snapshot.Sets);
        _cacheTooLarge.IncTo(snapshot.RejectedTooLarge);
    }
}
