using System.Threading.RateLimiting;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Admission;

/// <summary>The admission stages in order: global (priority queue, CPU and memory guard), operation, caller concurrency, daily quota.</summary>
/// <remarks>
/// Only the global stage waits: a request holding a global slot never waits on a narrower limit, so a burst of one operation or
/// one caller cannot sit on the slots everyone else needs. The narrower stages refuse at once with 429 and the slots taken by
/// earlier stages are given back. The caller and quota stages go through stores that are shared across instances when Redis is
/// configured; the global and operation stages protect this process and stay local.
/// </remarks>
internal sealed class AdmissionController : IAdmissionController, IAdmissionPolicyInfo, IDisposable
{
    private readonly PriorityConcurrencyLimiter _global;
    private readonly PartitionedRateLimiter<AgentSphereOperation> _operations;
    private readonly ICallerConcurrencyStore _callerStore;
    private readonly IDailyQuotaStore _quotaStore;
    private readonly IResourcePressureSource? _pressure;
    private readonly TimeProvider _timeProvider;
    private readonly AdmissionOptions _options;
    private readonly int[] _operationLimits;
    private readonly bool[] _quotaCounted;
    private readonly bool[] _anonymous;
    private readonly PriorityResolver _priorities;

    public AdmissionController(
        IOptions<AdmissionOptions> options,
        ICallerConcurrencyStore callerStore,
        IDailyQuotaStore quotaStore,
        TimeProvider timeProvider,
        IResourcePressureSource? pressure = null)
    {
        _options = options.Value;
        _callerStore = callerStore;
        _quotaStore = quotaStore;
        _timeProvider = timeProvider;
        _pressure = pressure;

        var global = _options.Global;
        var resources = _options.Resources;
        _global = new PriorityConcurrencyLimiter(
            new PriorityConcurrencyLimiterOptions
            {
                PermitLimit = global.MaxConcurrency,
                QueueLimit = global.QueueLimit,
                ShedThreshold = global.ShedThreshold,
                QueueTimeout = global.QueueTimeout,
                RetryAfter = global.RetryAfter,
                CpuWaitPercent = resources.CpuWaitPercent,
                CpuShedPercent = resources.CpuShedPercent,
                MaxHeapBytes = resources.MaxHeapMegabytes * 1024L * 1024L,
            },
            timeProvider,
            pressure);

        _operationLimits = new int[AgentSphereOperations.All.Count];
        foreach (var (name, limit) in _options.EffectiveOperationLimits())
        {
            if (AgentSphereOperations.TryParse(name, out var operation))
            {
                _operationLimits[(int)operation] = limit;
            }
        }

        _operations = PartitionedRateLimiter.Create<AgentSphereOperation, AgentSphereOperation>(operation =>
        {
            var limit = _operationLimits[(int)operation];
            return limit > 0
                ? RateLimitPartition.GetConcurrencyLimiter(operation, _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(operation);
        });

        _priorities = new PriorityResolver(options);
        _anonymous = new bool[AgentSphereOperations.All.Count];
        foreach (var name in _options.EffectiveAnonymousOperations())
        {
            if (AgentSphereOperations.TryParse(name, out var operation))
            {
                _anonymous[(int)operation] = true;
            }
        }

        _quotaCounted = new bool[AgentSphereOperations.All.Count];
        foreach (var name in _options.DailyQuota.EffectiveOperations())
        {
            if (AgentSphereOperations.TryParse(name, out var operation))
            {
                _quotaCounted[(int)operation] = true;
            }
        }
    }

    /// <summary>The global stage, for tests and diagnostics.</summary>
    internal PriorityConcurrencyLimiter Global => _global;

    public AdmissionOptions Options => _options;

    public string PriorityHeader => _priorities.HeaderName;

    public bool IsAnonymous(AgentSphereOperation operation) => _anonymous[(int)operation];

    public RequestPriority ResolvePriority(AgentSphereOperation operation, string? callerId, string? requested) =>
        _priorities.Resolve(operation, callerId, requested);

    public bool CountsAgainstQuota(AgentSphereOperation operation) => _options.DailyQuota.Limit > 0 && _quotaCounted[(int)operation];

    /// <summary>The concurrency limit of <paramref name="operation"/>, 0 when it has none.</summary>
    public int OperationLimit(AgentSphereOperation operation) => _operationLimits[(int)operation];

    public async ValueTask<AdmissionTicket> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var globalLease = await _global.AcquireAsync(request.Priority, 1, cancellationToken).ConfigureAwait(false);
        if (!globalLease.IsAcquired)
        {
            var rejection = GlobalRejection(globalLease, request);
            globalLease.Dispose();
            return new AdmissionTicket(rejection);
        }

        RateLimitLease? operationLease = null;
        ConcurrencyGrant? caller = null;
        try
        {
            operationLease = _operations.AttemptAcquire(request.Operation);
            if (!operationLease.IsAcquired)
            {
                var limit = _operationLimits[(int)request.Operation];
                return Refuse(new AdmissionRejection(
                    AdmissionPolicy.OperationConcurrency,
                    limit,
                    _options.Caller.RetryAfter,
                    $"The gateway already has {limit} '{request.Operation.GetName()}' requests in service, its limit for that operation."));
            }

            if (request.CallerId is null)
            {
                return new AdmissionTicket(globalLease, operationLease, null, null, null, null);
            }

            var callerLimit = _options.Caller.MaxConcurrency;
            caller = await _callerStore.TryAcquireAsync(request.CallerId, callerLimit, cancellationToken).ConfigureAwait(false);
            if (!caller.Value.Acquired)
            {
                return Refuse(
                    new AdmissionRejection(
                        AdmissionPolicy.CallerConcurrency,
                        caller.Value.Limit,
                        _options.Caller.RetryAfter,
                        $"This API key already has {caller.Value.InUse} requests in service; the limit is {caller.Value.Limit} at once."),
                    caller);
            }

            if (!CountsAgainstQuota(request.Operation))
            {
                return new AdmissionTicket(globalLease, operationLease, _callerStore, caller, null, null);
            }

            var window = QuotaWindow.Containing(_timeProvider.GetUtcNow(), _options.DailyQuota.ResetHourUtc);
            var quota = await _quotaStore.TryConsumeAsync(request.CallerId, window, _options.DailyQuota.Limit, cancellationToken).ConfigureAwait(false);
            if (!quota.Granted)
            {
                await _callerStore.ReleaseAsync(caller.Value).ConfigureAwait(false);
                var reset = window.End - _timeProvider.GetUtcNow();
                return Refuse(
                    new AdmissionRejection(
                        AdmissionPolicy.DailyQuota,
                        quota.Limit,
                        reset,
                        $"This API key has used its {quota.Limit} '{string.Join("', '", _options.DailyQuota.EffectiveOperations())}' requests for the day; the count resets at {window.End:yyyy-MM-dd HH:mm} UTC."),
                    caller.Value with { Acquired = false },
                    quota);
            }

            return new AdmissionTicket(globalLease, operationLease, _callerStore, caller, _quotaStore, quota);
        }
        catch
        {
            if (caller is { Acquired: true } held)
            {
                await _callerStore.ReleaseAsync(held).ConfigureAwait(false);
            }

            operationLease?.Dispose();
            globalLease.Dispose();
            throw;
        }

        AdmissionTicket Refuse(AdmissionRejection rejection, ConcurrencyGrant? callerGrant = null, QuotaGrant? quotaGrant = null)
        {
            operationLease?.Dispose();
            globalLease.Dispose();
            return new AdmissionTicket(rejection, callerGrant, quotaGrant);
        }
    }

    public AdmissionSnapshot Snapshot()
    {
        var waiting = new int[RequestPriorities.Count];
        for (var i = 0; i < waiting.Length; i++)
        {
            waiting[i] = _global.WaitingAt((RequestPriority)i);
        }

        return new AdmissionSnapshot(_global.InService, waiting, _pressure?.Current ?? ResourcePressure.None);
    }

    public void Dispose()
    {
        _global.Dispose();
        _operations.Dispose();
    }

    private AdmissionRejection GlobalRejection(RateLimitLease lease, AdmissionRequest request)
    {
        var reason = lease.TryGetMetadata(MetadataName.ReasonPhrase, out var phrase) ? phrase : null;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) ? hint : _options.Global.RetryAfter;
        var global = _options.Global;
        var priority = request.Priority.GetName();
        return reason switch
        {
            "cpu" => new AdmissionRejection(AdmissionPolicy.CpuGuard, global.MaxConcurrency, retryAfter,
                $"The gateway's CPU is above {_options.Resources.CpuShedPercent} %; {priority}-priority requests are shed until it drops."),
            "memory" => new AdmissionRejection(AdmissionPolicy.MemoryGuard, global.MaxConcurrency, retryAfter,
                $"The gateway's heap is above {_options.Resources.MaxHeapMegabytes} MB; {priority}-priority requests are shed until it drops."),
            "queue-timeout" => new AdmissionRejection(AdmissionPolicy.GlobalConcurrency, global.MaxConcurrency, retryAfter,
                $"The gateway is at its limit of {global.MaxConcurrency} requests in service and this request waited {global.QueueTimeout.TotalSeconds:0.###} s without a slot."),
            "shed" => new AdmissionRejection(AdmissionPolicy.GlobalConcurrency, global.MaxConcurrency, retryAfter,
                $"More than {global.ShedThreshold} requests are waiting for the gateway; {priority}-priority requests are shed first."),
            _ => new AdmissionRejection(AdmissionPolicy.GlobalConcurrency, global.MaxConcurrency, retryAfter,
                $"The gateway is at its limit of {global.MaxConcurrency} requests in service and its queue of {global.QueueLimit} is full."),
        };
    }
}
