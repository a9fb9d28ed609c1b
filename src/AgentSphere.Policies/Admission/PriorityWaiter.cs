using System.Threading.RateLimiting;

namespace AgentSphere.Policies.Admission;

/// <summary>A request waiting in <see cref="PriorityConcurrencyLimiter"/>: the task its caller awaits, its queue links, its timeout timer and its cancellation registration.</summary>
internal sealed class PriorityWaiter : TaskCompletionSource<RateLimitLease>
{
    private const int NotRegistered = 0;
    private const int Registered = 1;
    private const int Completed = 2;

    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private int _registrationState;

    /// <summary>Creates a waiter whose continuations run asynchronously.</summary>
    public PriorityWaiter(PriorityConcurrencyLimiter limiter, RequestPriority priority, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Limiter = limiter;
        Priority = priority;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The limiter the waiter is queued in.</summary>
    public PriorityConcurrencyLimiter Limiter { get; }

    /// <summary>The queue the waiter is in.</summary>
    public RequestPriority Priority { get; }

    /// <summary>The waiter queued just before this one at the same priority; guarded by the limiter's lock.</summary>
    public PriorityWaiter? Older { get; set; }

    /// <summary>The waiter queued just after this one at the same priority; guarded by the limiter's lock.</summary>
    public PriorityWaiter? Newer { get; set; }

    /// <summary>Whether the waiter is still queued; whoever clears it under the limiter's lock owns completing it.</summary>
    public bool IsQueued { get; set; }

    /// <summary>Fails the waiter after the queue timeout; set under the limiter's lock before anyone can dequeue the waiter.</summary>
    public ITimer? Timer { get; set; }

    /// <summary>The lease to complete with, or null to complete as canceled; set under the limiter's lock when dequeued.</summary>
    public RateLimitLease? Outcome { get; set; }

    /// <summary>Keeps <paramref name="registration"/> for disposal on completion, or disposes it now if the waiter already completed.</summary>
    public void AttachRegistration(CancellationTokenRegistration registration)
    {
        _registration = registration;
        if (Interlocked.Exchange(ref _registrationState, Registered) == Completed)
        {
            registration.Dispose();
        }
    }

    /// <summary>Completes the task with <see cref="Outcome"/> and releases the timer and registration; call outside the limiter's lock, once, after dequeuing.</summary>
    public void Complete()
    {
        if (Outcome is { } lease)
        {
            TrySetResult(lease);
        }
        else
        {
            TrySetCanceled(_cancellationToken);
        }

        Timer?.Dispose();
        if (Interlocked.Exchange(ref _registrationState, Completed) == Registered)
        {
            _registration.Dispose();
        }
    }
}
