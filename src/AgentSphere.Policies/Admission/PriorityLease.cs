using System.Threading.RateLimiting;

namespace AgentSphere.Policies.Admission;

/// <summary>A lease from <see cref="PriorityConcurrencyLimiter"/>: a held permit returned once on dispose, or a refusal carrying its reason and retry hint.</summary>
internal sealed class PriorityLease : RateLimitLease
{
    private static readonly string[] RejectedMetadataNames = [MetadataName.ReasonPhrase.Name, MetadataName.RetryAfter.Name];

    private readonly PriorityConcurrencyLimiter? _limiter;
    private readonly string? _reasonPhrase;
    private readonly object? _retryAfter;
    private int _released;

    private PriorityLease(PriorityConcurrencyLimiter? limiter)
    {
        _limiter = limiter;
    }

    private PriorityLease(AdmissionRejectionReason reason, TimeSpan retryAfter)
    {
        Reason = reason;
        _reasonPhrase = GetReasonPhrase(reason);
        _retryAfter = retryAfter;
    }

    /// <summary>Why the request was refused; <see cref="AdmissionRejectionReason.None"/> when acquired.</summary>
    public AdmissionRejectionReason Reason { get; }

    /// <inheritdoc/>
    public override bool IsAcquired => Reason == AdmissionRejectionReason.None;

    /// <inheritdoc/>
    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : RejectedMetadataNames;

    /// <summary>A lease holding one permit of <paramref name="limiter"/>, returned on the first dispose.</summary>
    public static PriorityLease Granted(PriorityConcurrencyLimiter limiter) => new(limiter);

    /// <summary>An acquired lease that holds nothing, for zero-permit requests; shareable.</summary>
    public static PriorityLease Empty() => new(limiter: null);

    /// <summary>A refused lease; shareable.</summary>
    public static PriorityLease Rejected(AdmissionRejectionReason reason, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(reason, AdmissionRejectionReason.None);
        return new(reason, retryAfter);
    }

    /// <summary>The short phrase for <paramref name="reason"/> used in metadata, logs and metric labels, for example <c>queue-full</c>.</summary>
    public static string GetReasonPhrase(AdmissionRejectionReason reason) => reason switch
    {
        AdmissionRejectionReason.None => "none",
        AdmissionRejectionReason.QueueFull => "queue-full",
        AdmissionRejectionReason.QueueTimeout => "queue-timeout",
        AdmissionRejectionReason.Shed => "shed",
        AdmissionRejectionReason.Cpu => "cpu",
        AdmissionRejectionReason.Memory => "memory",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <inheritdoc/>
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (!IsAcquired)
        {
            if (metadataName == MetadataName.ReasonPhrase.Name)
            {
                metadata = _reasonPhrase;
                return true;
            }

            if (metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = _retryAfter;
                return true;
            }
        }

        metadata = null;
        return false;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _limiter is not null && Interlocked.Exchange(ref _released, 1) == 0)
        {
            _limiter.Release();
        }
    }
}
