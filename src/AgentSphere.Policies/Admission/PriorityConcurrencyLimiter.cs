using System.Threading.RateLimiting;

namespace AgentSphere.Policies.Admission;

/// <summary>The gateway's global admission stage: a concurrency limit whose queue is served by <see cref="RequestPriority"/> and which holds back or sheds less urgent work under CPU and memory pressure.</summary>
/// <remarks>
/// One pool of <see cref="PriorityConcurrencyLimiterOptions.PermitLimit"/> permits is shared by all priorities; the
/// partition key only selects the queue. Under one lock the limiter keeps a FIFO queue per priority and a count of
/// permits in service. It dispatches on every arrival, release and pressure sample: first it fails queued requests
/// that the latest pressure refuses (low and normal above <see cref="PriorityConcurrencyLimiterOptions.MaxHeapBytes"/>,
/// low above <see cref="PriorityConcurrencyLimiterOptions.CpuShedPercent"/>), then it grants free permits to the
/// oldest waiter of the most urgent queue that is eligible. Eligibility only narrows as priority falls (low waits above
/// <see cref="PriorityConcurrencyLimiterOptions.CpuWaitPercent"/>, normal above the shed percent, high and critical
/// always), so the first ineligible queue ends the scan. An arrival is placed as if it were the newest of its queue:
/// older waiters of its own and higher priorities are served before it, lower ones after it, so nothing overtakes an
/// eligible request of the same or higher priority. A request that must wait is refused when the queue is full unless
/// it can evict the newest waiter of the least urgent lower priority; once queued, the newest low-priority waiters are
/// shed while more than <see cref="PriorityConcurrencyLimiterOptions.ShedThreshold"/> wait. Every waiter has a timer on
/// the injected <see cref="TimeProvider"/> and an optional cancellation registration. Whoever removes a waiter from its
/// queue under the lock (grant, shed, timeout, cancellation or dispose) owns completing it, which happens after the lock
/// is released, so continuations never run under the lock and a waiter completes exactly once.
/// </remarks>
internal sealed class PriorityConcurrencyLimiter : PartitionedRateLimiter<RequestPriority>
{
    private static readonly Action<object?> CancelWaiter = static state =>
    {
        var waiter = (PriorityWaiter)state!;
        waiter.Limiter.Withdraw(waiter, timedOut: false);
    };

    private static readonly TimerCallback ExpireWaiter = static state =>
    {
        var waiter = (PriorityWaiter)state!;
        waiter.Limiter.Withdraw(waiter, timedOut: true);
    };

    private readonly Lock _lock = new();
    private readonly PriorityWaiterQueue[] _queues = new PriorityWaiterQueue[RequestPriorities.Count];
    private readonly PriorityLease[] _rejections;
    private readonly PriorityLease _empty = PriorityLease.Empty();
    private readonly TimeProvider _timeProvider;
    private readonly IResourcePressureSource? _pressure;
    private readonly int _permitLimit;
    private readonly int _queueLimit;
    private readonly int _shedThreshold;
    private readonly TimeSpan _queueTimeout;
    private readonly double _cpuWaitPercent;
    private readonly double _cpuShedPercent;
    private readonly long _maxHeapBytes;
    private int _inService;
    private int _waiting;
    private long _successfulLeases;
    private long _failedLeases;
    private volatile bool _disposed;

    /// <summary>Creates the limiter, validating <paramref name="options"/> and subscribing to <paramref name="pressure"/> samples.</summary>
    public PriorityConcurrencyLimiter(PriorityConcurrencyLimiterOptions options, TimeProvider timeProvider, IResourcePressureSource? pressure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PermitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ShedThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ShedThreshold, options.QueueLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.QueueTimeout, TimeSpan.Zero);

        // The longest due time a timer accepts.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.QueueTimeout, TimeSpan.FromMilliseconds(uint.MaxValue - 1));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CpuWaitPercent, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CpuWaitPercent, options.CpuShedPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CpuShedPercent, 100.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHeapBytes, 1);

        _timeProvider = timeProvider;
        _pressure = pressure;
        _permitLimit = options.PermitLimit;
        _queueLimit = options.QueueLimit;
        _shedThreshold = options.ShedThreshold;
        _queueTimeout = options.QueueTimeout;
        _cpuWaitPercent = options.CpuWaitPercent;
        _cpuShedPercent = options.CpuShedPercent;
        _maxHeapBytes = options.MaxHeapBytes;

        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new PriorityWaiterQueue();
        }

        _rejections = new PriorityLease[(int)AdmissionRejectionReason.Memory + 1];
        for (var reason = AdmissionRejectionReason.QueueFull; reason <= AdmissionRejectionReason.Memory; reason++)
        {
            _rejections[(int)reason] = PriorityLease.Rejected(reason, options.RetryAfter);
        }

        if (pressure is not null)
        {
            pressure.Sampled += OnSampled;
        }
    }

    /// <summary>Permits currently held.</summary>
    public int InService => Volatile.Read(ref _inService);

    /// <summary>Requests waiting, across all priorities.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Requests waiting at <paramref name="priority"/>.</summary>
    public int WaitingAt(RequestPriority priority)
    {
        ValidatePriority(priority);
        lock (_lock)
        {
            return _queues[(int)priority].Count;
        }
    }

    /// <summary>Statistics of the shared pool; <paramref name="resource"/> only has to be a valid priority.</summary>
    public override RateLimiterStatistics? GetStatistics(RequestPriority resource)
    {
        ValidatePriority(resource);
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _permitLimit - _inService,
                CurrentQueuedCount = _waiting,
                TotalSuccessfulLeases = Interlocked.Read(ref _successfulLeases),
                TotalFailedLeases = Interlocked.Read(ref _failedLeases),
            };
        }
    }

    /// <summary>Returns a permit taken by a granted <see cref="PriorityLease"/> and hands it on.</summary>
    internal void Release()
    {
        var pressure = ReadPressure();
        List<PriorityWaiter>? completions = null;
        lock (_lock)
        {
            _inService--;
            if (!_disposed)
            {
                Dispatch(pressure, RequestPriority.Low, ref completions);
            }
        }

        Complete(completions);
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(RequestPriority resource, int permitCount)
    {
        ValidatePriority(resource);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (permitCount == 0)
        {
            return Probe();
        }

        var pressure = ReadPressure();
        var refusal = Refusal(resource, pressure);
        if (refusal != AdmissionRejectionReason.None)
        {
            return Fail(refusal);
        }

        List<PriorityWaiter>? completions = null;
        PriorityLease lease;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Dispatch(pressure, resource, ref completions);
            if (!IsEligible(resource, pressure))
            {
                lease = Fail(AdmissionRejectionReason.Cpu);
            }
            else if (_inService < _permitLimit)
            {
                lease = Grant();
                Dispatch(pressure, RequestPriority.Low, ref completions);
            }
            else
            {
                lease = Fail(AdmissionRejectionReason.QueueFull);
            }
        }

        Complete(completions);
        return lease;
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(RequestPriority resource, int permitCount, CancellationToken cancellationToken)
    {
        ValidatePriority(resource);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        if (permitCount == 0)
        {
            return new(Probe());
        }

        var pressure = ReadPressure();
        var refusal = Refusal(resource, pressure);
        if (refusal != AdmissionRejectionReason.None)
        {
            return new(Fail(refusal));
        }

        List<PriorityWaiter>? completions = null;
        PriorityLease? lease;
        PriorityWaiter? waiter = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Dispatch(pressure, resource, ref completions);
            if (_inService < _permitLimit && IsEligible(resource, pressure))
            {
                lease = Grant();
                Dispatch(pressure, RequestPriority.Low, ref completions);
            }
            else
            {
                lease = Enqueue(resource, cancellationToken, ref completions, out waiter);
            }
        }

        Complete(completions);
        if (lease is not null)
        {
            return new(lease);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter!.AttachRegistration(cancellationToken.UnsafeRegister(CancelWaiter, waiter));
        }

        return new(waiter!.Task);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        List<PriorityWaiter>? completions = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var queue in _queues)
            {
                while (queue.Oldest is { } waiter)
                {
                    Dequeue(waiter, Fail(AdmissionRejectionReason.QueueFull), ref completions);
                }
            }
        }

        if (_pressure is not null)
        {
            _pressure.Sampled -= OnSampled;
        }

        Complete(completions);
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    private static void ValidatePriority(RequestPriority priority)
    {
        if ((uint)priority >= RequestPriorities.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Unknown request priority.");
        }
    }

    private static void Complete(List<PriorityWaiter>? completions)
    {
        if (completions is null)
        {
            return;
        }

        foreach (var waiter in completions)
        {
            waiter.Complete();
        }
    }

    private ResourcePressure ReadPressure() => _pressure?.Current ?? ResourcePressure.None;

    private AdmissionRejectionReason Refusal(RequestPriority priority, ResourcePressure pressure)
    {
        if (priority >= RequestPriority.Normal && pressure.HeapBytes > _maxHeapBytes)
        {
            return AdmissionRejectionReason.Memory;
        }

        return priority == RequestPriority.Low && pressure.CpuPercent > _cpuShedPercent
            ? AdmissionRejectionReason.Cpu
            : AdmissionRejectionReason.None;
    }

    private bool IsEligible(RequestPriority priority, ResourcePressure pressure) => priority switch
    {
        RequestPriority.Low => pressure.CpuPercent <= _cpuWaitPercent && pressure.HeapBytes <= _maxHeapBytes,
        RequestPriority.Normal => pressure.CpuPercent <= _cpuShedPercent && pressure.HeapBytes <= _maxHeapBytes,
        _ => true,
    };

    private PriorityLease Grant()
    {
        _inService++;
        Interlocked.Increment(ref _successfulLeases);
        return PriorityLease.Granted(this);
    }

    private PriorityLease Fail(AdmissionRejectionReason reason)
    {
        Interlocked.Increment(ref _failedLeases);
        return _rejections[(int)reason];
    }

    private PriorityLease Probe()
    {
        if (Volatile.Read(ref _inService) < _permitLimit)
        {
            Interlocked.Increment(ref _successfulLeases);
            return _empty;
        }

        return Fail(AdmissionRejectionReason.QueueFull);
    }

    // Called under the lock; fails refused waiters, then grants free permits in priority order up to and including `through`.
    private void Dispatch(ResourcePressure pressure, RequestPriority through, ref List<PriorityWaiter>? completions)
    {
        if (_waiting == 0)
        {
            return;
        }

        for (var priority = RequestPriority.Normal; priority <= RequestPriority.Low; priority++)
        {
            var refusal = Refusal(priority, pressure);
            if (refusal == AdmissionRejectionReason.None)
            {
                continue;
            }

            var queue = _queues[(int)priority];
            while (queue.Oldest is { } waiter)
            {
                Dequeue(waiter, Fail(refusal), ref completions);
            }
        }

        for (var priority = RequestPriority.Critical; priority <= through && _inService < _permitLimit; priority++)
        {
            if (!IsEligible(priority, pressure))
            {
                break;
            }

            var queue = _queues[(int)priority];
            while (_inService < _permitLimit && queue.Oldest is { } waiter)
            {
                Dequeue(waiter, Grant(), ref completions);
            }
        }
    }

    // Called under the lock for a request that cannot be granted now; returns a refusal, or null with the queued waiter.
    private PriorityLease? Enqueue(RequestPriority priority, CancellationToken cancellationToken, ref List<PriorityWaiter>? completions, out PriorityWaiter? waiter)
    {
        waiter = null;
        if (_waiting >= _queueLimit)
        {
            var victim = NewestBelow(priority);
            if (victim is null)
            {
                return Fail(AdmissionRejectionReason.QueueFull);
            }

            Dequeue(victim, Fail(AdmissionRejectionReason.Shed), ref completions);
        }

        // A low arrival past the threshold would be the newest low waiter and so the first one shed.
        if (priority == RequestPriority.Low && _waiting >= _shedThreshold)
        {
            return Fail(AdmissionRejectionReason.Shed);
        }

        waiter = new PriorityWaiter(this, priority, cancellationToken);
        _queues[(int)priority].Enqueue(waiter);
        _waiting++;

        var low = _queues[(int)RequestPriority.Low];
        while (_waiting > _shedThreshold && low.Newest is { } shed)
        {
            Dequeue(shed, Fail(AdmissionRejectionReason.Shed), ref completions);
        }

        // Created under the lock so that whoever dequeues the waiter sees the timer and disposes it.
        waiter.Timer = _timeProvider.CreateTimer(ExpireWaiter, waiter, _queueTimeout, Timeout.InfiniteTimeSpan);
        return null;
    }

    private PriorityWaiter? NewestBelow(RequestPriority priority)
    {
        for (var lower = RequestPriority.Low; lower > priority; lower--)
        {
            if (_queues[(int)lower].Newest is { } newest)
            {
                return newest;
            }
        }

        return null;
    }

    private void Dequeue(PriorityWaiter waiter, RateLimitLease? outcome, ref List<PriorityWaiter>? completions)
    {
        _queues[(int)waiter.Priority].Remove(waiter);
        _waiting--;
        waiter.Outcome = outcome;
        (completions ??= []).Add(waiter);
    }

    // Timeout and cancellation: fails or cancels the waiter if it is still queued; a late timer or token does nothing.
    private void Withdraw(PriorityWaiter waiter, bool timedOut)
    {
        lock (_lock)
        {
            if (!waiter.IsQueued)
            {
                return;
            }

            _queues[(int)waiter.Priority].Remove(waiter);
            _waiting--;
            waiter.Outcome = timedOut ? Fail(AdmissionRejectionReason.QueueTimeout) : null;
        }

        waiter.Complete();
    }

    private void OnSampled(ResourcePressure sample)
    {
        List<PriorityWaiter>? completions = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            Dispatch(sample, RequestPriority.Low, ref completions);
        }

        Complete(completions);
    }
}
