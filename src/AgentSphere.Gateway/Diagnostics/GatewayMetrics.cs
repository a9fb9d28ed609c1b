using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Operations;
using Prometheus;

namespace AgentSphere.Gateway.Diagnostics;

/// <summary>Owns every Prometheus instrument the gateway exports at <c>/metrics</c>, in a registry of its own (so two gateways in one process never share counters).</summary>
/// <remarks>Labels are operation, policy, priority and outcome names only: never an API key, caller id or sandbox id.</remarks>
internal sealed class GatewayMetrics
{
    private readonly Counter.Child[] _admitted;
    private readonly Counter.Child[,] _rejected;
    private readonly Counter _unauthenticated;

    public GatewayMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

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
    }

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
}
