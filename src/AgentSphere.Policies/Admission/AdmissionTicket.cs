using System.Threading.RateLimiting;

namespace AgentSphere.Policies.Admission;

/// <summary>The outcome of <see cref="IAdmissionController.AdmitAsync"/>: either a refusal, or the slots an admitted request holds until <see cref="CompleteAsync"/>.</summary>
public sealed class AdmissionTicket : IAsyncDisposable
{
    private readonly ICallerConcurrencyStore? _callerStore;
    private readonly IDailyQuotaStore? _quotaStore;
    private RateLimitLease? _globalLease;
    private RateLimitLease? _operationLease;
    private int _completed;

    internal AdmissionTicket(AdmissionRejection rejection, ConcurrencyGrant? caller = null, QuotaGrant? quota = null)
    {
        Rejection = rejection;
        Caller = caller;
        Quota = quota;
        _completed = 1;
    }

    internal AdmissionTicket(
        RateLimitLease globalLease,
        RateLimitLease? operationLease,
        ICallerConcurrencyStore? callerStore,
        ConcurrencyGrant? caller,
        IDailyQuotaStore? quotaStore,
        QuotaGrant? quota)
    {
        _globalLease = globalLease;
        _operationLease = operationLease;
        _callerStore = callerStore;
        Caller = caller;
        _quotaStore = quotaStore;
        Quota = quota;
    }

    /// <summary>Whether the request may proceed.</summary>
    public bool Admitted => Rejection is null;

    /// <summary>Why the request was refused; null when admitted.</summary>
    public AdmissionRejection? Rejection { get; }

    /// <summary>The caller's concurrency slot (or the refused attempt), when the caller stage ran.</summary>
    public ConcurrencyGrant? Caller { get; }

    /// <summary>The caller's quota count (or the refused attempt), when the request counts against the quota.</summary>
    public QuotaGrant? Quota { get; }

    /// <summary>Releases every slot the request holds. When <paramref name="countsAgainstQuota"/> is false (the request did not do its work, for example the backend refused it) its quota count is given back.</summary>
    public async ValueTask CompleteAsync(bool countsAgainstQuota)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return;
        }

        if (!countsAgainstQuota && Quota is { Granted: true } quota && _quotaStore is not null)
        {
            await _quotaStore.RefundAsync(quota).ConfigureAwait(false);
        }

        if (Caller is { Acquired: true } caller && _callerStore is not null)
        {
            await _callerStore.ReleaseAsync(caller).ConfigureAwait(false);
        }

        Interlocked.Exchange(ref _operationLease, null)?.Dispose();
        Interlocked.Exchange(ref _globalLease, null)?.Dispose();
    }

    /// <summary>Completes the ticket with its quota count kept.</summary>
    public ValueTask DisposeAsync() => CompleteAsync(countsAgainstQuota: true);
}
