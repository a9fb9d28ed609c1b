using System.Threading.RateLimiting;
using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class PriorityConcurrencyLimiterTests
{
    private const double Calm = 10.0;
    private const double AboveWait = 75.0;
    private const double AboveShed = 85.0;
    private const long MaxHeap = 1000;

    private static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly FakePressureSource _pressure = new();

    // Permits and queue order.

    [Fact]
    public void AttemptAcquire_PermitsExhausted_FailsWithQueueFullWithoutQueueing()
    {
        using var limiter = Create(permitLimit: 2);

        using var first = limiter.AttemptAcquire(RequestPriority.Normal);
        using var second = limiter.AttemptAcquire(RequestPriority.Critical);
        using var third = limiter.AttemptAcquire(RequestPriority.Critical);

        Assert.True(first.IsAcquired);
        Assert.True(second.IsAcquired);
        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(third));
        Assert.Equal(2, limiter.InService);
        Assert.Equal(0, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_PermitsExhausted_WaitsUntilLeaseReleased()
    {
        using var limiter = Create(permitLimit: 2);
        using var first = await limiter.AcquireAsync(RequestPriority.Normal);
        var second = await limiter.AcquireAsync(RequestPriority.Normal);

        var third = Acquire(limiter, RequestPriority.Normal);

        Assert.False(third.IsCompleted);
        Assert.Equal(2, limiter.InService);
        Assert.Equal(1, limiter.Waiting);
        Assert.Equal(1, limiter.WaitingAt(RequestPriority.Normal));

        second.Dispose();

        using var granted = await third;
        Assert.True(granted.IsAcquired);
        Assert.Equal(2, limiter.InService);
        Assert.Equal(0, limiter.Waiting);
    }

    [Fact]
    public void LeaseDispose_Twice_ReturnsPermitOnce()
    {
        using var limiter = Create(permitLimit: 2);
        var first = limiter.AttemptAcquire(RequestPriority.Normal);
        using var second = limiter.AttemptAcquire(RequestPriority.Normal);

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, limiter.InService);
        using var third = limiter.AttemptAcquire(RequestPriority.Normal);
        using var fourth = limiter.AttemptAcquire(RequestPriority.Normal);
        Assert.True(third.IsAcquired);
        Assert.False(fourth.IsAcquired);
        Assert.Equal(2, limiter.InService);
    }

    [Fact]
    public async Task LeaseDispose_MixedPrioritiesWaiting_GrantsByPriorityThenOldestFirst()
    {
        using var limiter = Create(permitLimit: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        (string Name, Task<RateLimitLease> Task)[] waiters =
        [
            ("low-1", Acquire(limiter, RequestPriority.Low)),
            ("normal-1", Acquire(limiter, RequestPriority.Normal)),
            ("low-2", Acquire(limiter, RequestPriority.Low)),
            ("critical-1", Acquire(limiter, RequestPriority.Critical)),
            ("high-1", Acquire(limiter, RequestPriority.High)),
            ("normal-2", Acquire(limiter, RequestPriority.Normal)),
            ("critical-2", Acquire(limiter, RequestPriority.Critical)),
        ];
        Assert.Equal(7, limiter.Waiting);
        Assert.Equal(2, limiter.WaitingAt(RequestPriority.Critical));
        Assert.Equal(1, limiter.WaitingAt(RequestPriority.High));
        Assert.Equal(2, limiter.WaitingAt(RequestPriority.Normal));
        Assert.Equal(2, limiter.WaitingAt(RequestPriority.Low));

        var order = new List<string>();
        var current = holder;
        for (var i = 0; i < waiters.Length; i++)
        {
            current.Dispose();
            var next = Assert.Single(waiters, w => w.Task.IsCompleted && !order.Contains(w.Name));
            order.Add(next.Name);
            current = await next.Task;
            Assert.True(current.IsAcquired);
            Assert.Equal(1, limiter.InService);
        }

        current.Dispose();
        Assert.Equal(["critical-1", "critical-2", "high-1", "normal-1", "normal-2", "low-1", "low-2"], order);
        Assert.Equal(0, limiter.InService);
    }

    [Fact]
    public async Task LeaseDispose_SamePriorityWaiting_GrantsOldestFirst()
    {
        using var limiter = Create(permitLimit: 1);
        var current = limiter.AttemptAcquire(RequestPriority.High);
        var waiters = Enumerable.Range(0, 5).Select(_ => Acquire(limiter, RequestPriority.High)).ToArray();

        for (var i = 0; i < waiters.Length; i++)
        {
            current.Dispose();
            Assert.True(waiters[i].IsCompleted);
            Assert.All(waiters[(i + 1)..], w => Assert.False(w.IsCompleted));
            current = await waiters[i];
        }

        current.Dispose();
    }

    [Fact]
    public async Task AttemptAcquire_PermitHandedToWaiter_DoesNotOvertake()
    {
        using var limiter = Create(permitLimit: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var waiter = Acquire(limiter, RequestPriority.Low);

        holder.Dispose();
        using var arrival = limiter.AttemptAcquire(RequestPriority.Critical);

        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(arrival));
        using var granted = await waiter;
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_EligibleWaiterOfSamePriorityWithFreePermit_WaiterGoesFirst()
    {
        using var limiter = Create(permitLimit: 1);
        _pressure.Current = new(AboveWait, 0);
        var waiter = Acquire(limiter, RequestPriority.Low);
        _pressure.SetWithoutSampling(new(Calm, 0));

        var arrival = Acquire(limiter, RequestPriority.Low);

        Assert.True(waiter.IsCompleted);
        Assert.False(arrival.IsCompleted);
        Assert.Equal(1, limiter.WaitingAt(RequestPriority.Low));
        (await waiter).Dispose();
        using var granted = await arrival;
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_OnlyLowerPriorityEligibleWaiting_HigherArrivalGrantedFirst()
    {
        using var limiter = Create(permitLimit: 1);
        _pressure.Current = new(AboveWait, 0);
        var waiter = Acquire(limiter, RequestPriority.Low);
        _pressure.SetWithoutSampling(new(Calm, 0));

        var arrival = await limiter.AcquireAsync(RequestPriority.Normal);

        Assert.True(arrival.IsAcquired);
        Assert.False(waiter.IsCompleted);
        arrival.Dispose();
        using var granted = await waiter;
        Assert.True(granted.IsAcquired);
    }

    // CPU and memory.

    [Fact]
    public async Task AcquireAsync_CpuAboveWait_LowWaitsUntilSampledCpuFalls()
    {
        using var limiter = Create(permitLimit: 2);
        _pressure.Current = new(AboveWait, 0);

        var low = Acquire(limiter, RequestPriority.Low);
        using var normal = await limiter.AcquireAsync(RequestPriority.Normal);
        using var attempt = limiter.AttemptAcquire(RequestPriority.Low);

        Assert.False(low.IsCompleted);
        Assert.True(normal.IsAcquired);
        Assert.Equal(AdmissionRejectionReason.Cpu, Reason(attempt));
        Assert.Equal(1, limiter.InService);
        Assert.Equal(1, limiter.WaitingAt(RequestPriority.Low));

        _pressure.Current = new(Calm, 0);

        using var granted = await low;
        Assert.True(granted.IsAcquired);
        Assert.Equal(2, limiter.InService);
        Assert.Equal(0, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_CpuAboveShed_RefusesLowAndHoldsNormal()
    {
        using var limiter = Create(permitLimit: 4);
        _pressure.Current = new(AboveShed, 0);

        var low = Acquire(limiter, RequestPriority.Low);
        var normal = Acquire(limiter, RequestPriority.Normal);
        using var high = await limiter.AcquireAsync(RequestPriority.High);
        using var critical = await limiter.AcquireAsync(RequestPriority.Critical);

        Assert.Equal(AdmissionRejectionReason.Cpu, Reason(await low));
        Assert.False(normal.IsCompleted);
        Assert.True(high.IsAcquired);
        Assert.True(critical.IsAcquired);
        Assert.Equal(1, limiter.Waiting);

        _pressure.Current = new(AboveWait, 0);

        using var granted = await normal;
        Assert.True(granted.IsAcquired);
        var lowAgain = Acquire(limiter, RequestPriority.Low);
        Assert.False(lowAgain.IsCompleted);

        _pressure.Current = new(Calm, 0);

        using var lowGranted = await lowAgain;
        Assert.True(lowGranted.IsAcquired);
        Assert.Equal(4, limiter.InService);
    }

    [Fact]
    public async Task Sampled_CpuRisesAboveShed_FailsQueuedLowWithCpuAndKeepsNormal()
    {
        using var limiter = Create(permitLimit: 1);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var low = Acquire(limiter, RequestPriority.Low);
        var normal = Acquire(limiter, RequestPriority.Normal);

        _pressure.Current = new(AboveShed, 0);

        Assert.Equal(AdmissionRejectionReason.Cpu, Reason(await low));
        Assert.False(normal.IsCompleted);
        Assert.Equal(1, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_HeapAboveMax_RefusesNormalAndLowWithMemory()
    {
        using var limiter = Create(permitLimit: 4);
        _pressure.Current = new(Calm, MaxHeap + 1);

        var low = limiter.AttemptAcquire(RequestPriority.Low);
        var normal = await limiter.AcquireAsync(RequestPriority.Normal);
        using var high = await limiter.AcquireAsync(RequestPriority.High);
        using var critical = limiter.AttemptAcquire(RequestPriority.Critical);

        Assert.Equal(AdmissionRejectionReason.Memory, Reason(low));
        Assert.Equal(AdmissionRejectionReason.Memory, Reason(normal));
        Assert.True(high.IsAcquired);
        Assert.True(critical.IsAcquired);
        Assert.Equal(2, limiter.InService);
        Assert.Equal(0, limiter.Waiting);
    }

    [Fact]
    public async Task Sampled_HeapRisesAboveMax_FailsQueuedNormalAndLowWithMemory()
    {
        using var limiter = Create(permitLimit: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Critical);
        var low = Acquire(limiter, RequestPriority.Low);
        var normal = Acquire(limiter, RequestPriority.Normal);
        var high = Acquire(limiter, RequestPriority.High);

        _pressure.Current = new(Calm, MaxHeap + 1);

        Assert.Equal(AdmissionRejectionReason.Memory, Reason(await low));
        Assert.Equal(AdmissionRejectionReason.Memory, Reason(await normal));
        Assert.False(high.IsCompleted);
        Assert.Equal(1, limiter.Waiting);
        holder.Dispose();
        using var granted = await high;
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_WaitingOnlyForCpu_CountsInQueueAndTimesOut()
    {
        using var limiter = Create(permitLimit: 2, queueLimit: 1, shedThreshold: 1);
        _pressure.Current = new(AboveWait, 0);
        var low = Acquire(limiter, RequestPriority.Low);

        var another = await limiter.AcquireAsync(RequestPriority.Low);

        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(another));
        Assert.Equal(1, limiter.Waiting);
        Assert.Equal(0, limiter.InService);

        _time.Advance(QueueTimeout);

        Assert.Equal(AdmissionRejectionReason.QueueTimeout, Reason(await low));
        Assert.Equal(0, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_NoPressureSource_TreatsAsNoPressure()
    {
        using var limiter = new PriorityConcurrencyLimiter(Options(permitLimit: 1), _time);

        using var lease = await limiter.AcquireAsync(RequestPriority.Low);

        Assert.True(lease.IsAcquired);
    }

    // Shedding and the full queue.

    [Fact]
    public async Task AcquireAsync_LowArrivesAboveShedThreshold_ShedsArrival()
    {
        using var limiter = Create(permitLimit: 1, queueLimit: 10, shedThreshold: 2);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var low1 = Acquire(limiter, RequestPriority.Low);
        var low2 = Acquire(limiter, RequestPriority.Low);

        var low3 = Acquire(limiter, RequestPriority.Low);

        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await low3));
        Assert.False(low1.IsCompleted);
        Assert.False(low2.IsCompleted);
        Assert.Equal(2, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_HigherArrivalsAboveShedThreshold_ShedNewestLowFirst()
    {
        using var limiter = Create(permitLimit: 1, queueLimit: 10, shedThreshold: 3);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var low1 = Acquire(limiter, RequestPriority.Low);
        var low2 = Acquire(limiter, RequestPriority.Low);
        var low3 = Acquire(limiter, RequestPriority.Low);

        var normal1 = Acquire(limiter, RequestPriority.Normal);
        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await low3));
        Assert.False(low2.IsCompleted);

        var high = Acquire(limiter, RequestPriority.High);
        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await low2));
        Assert.False(low1.IsCompleted);

        var critical = Acquire(limiter, RequestPriority.Critical);
        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await low1));

        var normal2 = Acquire(limiter, RequestPriority.Normal);
        Assert.All([normal1, high, critical, normal2], t => Assert.False(t.IsCompleted));
        Assert.Equal(4, limiter.Waiting);
        Assert.Equal(0, limiter.WaitingAt(RequestPriority.Low));
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_EvictsNewestOfLowestLowerPriority()
    {
        using var limiter = Create(permitLimit: 1, queueLimit: 3, shedThreshold: 3);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var normal1 = Acquire(limiter, RequestPriority.Normal);
        var low = Acquire(limiter, RequestPriority.Low);
        var normal2 = Acquire(limiter, RequestPriority.Normal);

        var high1 = Acquire(limiter, RequestPriority.High);
        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await low));

        var high2 = Acquire(limiter, RequestPriority.High);
        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await normal2));
        Assert.False(normal1.IsCompleted);

        var critical = Acquire(limiter, RequestPriority.Critical);
        Assert.Equal(AdmissionRejectionReason.Shed, Reason(await normal1));

        Assert.All([high1, high2, critical], t => Assert.False(t.IsCompleted));
        Assert.Equal(3, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_QueueFullOfSameOrHigherPriority_FailsWithQueueFull()
    {
        using var limiter = Create(permitLimit: 1, queueLimit: 2, shedThreshold: 2);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var high = Acquire(limiter, RequestPriority.High);
        var normal = Acquire(limiter, RequestPriority.Normal);

        var arrival = await limiter.AcquireAsync(RequestPriority.Normal);
        var low = await limiter.AcquireAsync(RequestPriority.Low);

        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(arrival));
        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(low));
        Assert.False(high.IsCompleted);
        Assert.False(normal.IsCompleted);
        Assert.Equal(2, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_QueueLimitZero_FailsWithQueueFull()
    {
        using var limiter = Create(permitLimit: 1, queueLimit: 0, shedThreshold: 0);
        using var holder = await limiter.AcquireAsync(RequestPriority.Low);

        var critical = await limiter.AcquireAsync(RequestPriority.Critical);

        Assert.True(holder.IsAcquired);
        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(critical));
        Assert.Equal(0, limiter.Waiting);
    }

    // Timeout and cancellation.

    [Fact]
    public async Task AcquireAsync_WaitsForQueueTimeout_FailsWithQueueTimeout()
    {
        using var limiter = Create(permitLimit: 1);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var waiter = Acquire(limiter, RequestPriority.Critical);

        _time.Advance(QueueTimeout - TimeSpan.FromTicks(1));
        Assert.False(waiter.IsCompleted);

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(AdmissionRejectionReason.QueueTimeout, Reason(await waiter));
        Assert.Equal(0, limiter.Waiting);
        Assert.Equal(1, limiter.GetStatistics(RequestPriority.Critical)!.TotalFailedLeases);
    }

    [Fact]
    public async Task AcquireAsync_GrantedBeforeQueueTimeout_KeepsLease()
    {
        using var limiter = Create(permitLimit: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var waiter = Acquire(limiter, RequestPriority.Normal);
        holder.Dispose();

        _time.Advance(QueueTimeout * 2);

        using var lease = await waiter;
        Assert.True(lease.IsAcquired);
        Assert.Equal(1, limiter.InService);
        Assert.Equal(0, limiter.GetStatistics(RequestPriority.Normal)!.TotalFailedLeases);
    }

    [Fact]
    public async Task AcquireAsync_CanceledWhileWaiting_FreesPlaceAtOnce()
    {
        using var limiter = Create(permitLimit: 1, queueLimit: 1, shedThreshold: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        using var cts = new CancellationTokenSource();
        var canceled = Acquire(limiter, RequestPriority.Normal, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.Equal(0, limiter.Waiting);
        var next = Acquire(limiter, RequestPriority.Normal);
        Assert.Equal(1, limiter.Waiting);
        holder.Dispose();
        using var granted = await next;
        Assert.True(granted.IsAcquired);
        Assert.Equal(0, limiter.GetStatistics(RequestPriority.Normal)!.TotalFailedLeases);
    }

    [Fact]
    public async Task AcquireAsync_TokenAlreadyCanceled_ReturnsCanceledWithoutQueueing()
    {
        using var limiter = Create(permitLimit: 1);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Acquire(limiter, RequestPriority.Normal, cts.Token));

        Assert.Equal(0, limiter.Waiting);
        Assert.Equal(1, limiter.InService);
    }

    [Fact]
    public async Task AcquireAsync_CanceledAfterGrant_KeepsLease()
    {
        using var limiter = Create(permitLimit: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        using var cts = new CancellationTokenSource();
        var waiter = Acquire(limiter, RequestPriority.Normal, cts.Token);
        holder.Dispose();

        await cts.CancelAsync();

        using var lease = await waiter;
        Assert.True(lease.IsAcquired);
        Assert.Equal(1, limiter.InService);
    }

    // Leases, statistics, permit counts.

    [Fact]
    public void TryGetMetadata_FailedLease_ReturnsReasonPhraseAndRetryAfter()
    {
        using var limiter = Create(permitLimit: 1, retryAfter: TimeSpan.FromSeconds(7));
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);

        using var lease = limiter.AttemptAcquire(RequestPriority.Normal);

        Assert.False(lease.IsAcquired);
        Assert.True(lease.TryGetMetadata(MetadataName.ReasonPhrase, out var phrase));
        Assert.Equal("queue-full", phrase);
        Assert.True(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(7), retryAfter);
        Assert.Equal([MetadataName.ReasonPhrase.Name, MetadataName.RetryAfter.Name], lease.MetadataNames);
    }

    [Fact]
    public void TryGetMetadata_GrantedLease_HasNoMetadata()
    {
        using var limiter = Create(permitLimit: 1);

        using var lease = limiter.AttemptAcquire(RequestPriority.Normal);

        Assert.Equal(AdmissionRejectionReason.None, Reason(lease));
        Assert.False(lease.TryGetMetadata(MetadataName.RetryAfter, out _));
        Assert.Empty(lease.MetadataNames);
    }

    [Theory]
    [InlineData(AdmissionRejectionReason.QueueFull, "queue-full")]
    [InlineData(AdmissionRejectionReason.QueueTimeout, "queue-timeout")]
    [InlineData(AdmissionRejectionReason.Shed, "shed")]
    [InlineData(AdmissionRejectionReason.Cpu, "cpu")]
    [InlineData(AdmissionRejectionReason.Memory, "memory")]
    public void Rejected_EachReason_CarriesReasonPhrase(AdmissionRejectionReason reason, string phrase)
    {
        using var lease = PriorityLease.Rejected(reason, TimeSpan.FromSeconds(1));

        Assert.Equal(reason, lease.Reason);
        Assert.True(lease.TryGetMetadata(MetadataName.ReasonPhrase, out var actual));
        Assert.Equal(phrase, actual);
    }

    [Fact]
    public async Task GetStatistics_MixedOutcomes_CountsEveryLease()
    {
        using var limiter = Create(permitLimit: 2);
        var first = limiter.AttemptAcquire(RequestPriority.Normal);
        using var second = await limiter.AcquireAsync(RequestPriority.High);
        using var refused = limiter.AttemptAcquire(RequestPriority.Normal);
        var timedOut = Acquire(limiter, RequestPriority.Normal);
        _time.Advance(QueueTimeout);
        var waiter = Acquire(limiter, RequestPriority.Low);

        var stats = limiter.GetStatistics(RequestPriority.Low)!;
        Assert.Equal(0, stats.CurrentAvailablePermits);
        Assert.Equal(1, stats.CurrentQueuedCount);
        Assert.Equal(2, stats.TotalSuccessfulLeases);
        Assert.Equal(2, stats.TotalFailedLeases);

        first.Dispose();
        using var granted = await waiter;
        _pressure.Current = new(Calm, MaxHeap + 1);
        using var memory = limiter.AttemptAcquire(RequestPriority.Normal);

        stats = limiter.GetStatistics(RequestPriority.Critical)!;
        Assert.Equal(0, stats.CurrentAvailablePermits);
        Assert.Equal(0, stats.CurrentQueuedCount);
        Assert.Equal(3, stats.TotalSuccessfulLeases);
        Assert.Equal(3, stats.TotalFailedLeases);
        Assert.True(granted.IsAcquired);
        Assert.Equal(AdmissionRejectionReason.QueueTimeout, Reason(await timedOut));
        Assert.Equal(AdmissionRejectionReason.Memory, Reason(memory));
    }

    [Fact]
    public async Task AttemptAcquire_ZeroPermits_SucceedsOnlyWhenPermitFreeAndTakesNothing()
    {
        using var limiter = Create(permitLimit: 1);

        using var free = limiter.AttemptAcquire(RequestPriority.Low, 0);
        using var freeAsync = await limiter.AcquireAsync(RequestPriority.Low, 0);
        Assert.True(free.IsAcquired);
        Assert.True(freeAsync.IsAcquired);
        Assert.Equal(0, limiter.InService);

        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        using var busy = limiter.AttemptAcquire(RequestPriority.Critical, 0);
        using var busyAsync = await limiter.AcquireAsync(RequestPriority.Critical, 0);

        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(busy));
        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(busyAsync));
        Assert.Equal(0, limiter.Waiting);
        Assert.Equal(1, limiter.InService);
        free.Dispose();
        Assert.Equal(1, limiter.InService);
    }

    [Fact]
    public async Task Acquire_PermitCountOutOfRange_Throws()
    {
        using var limiter = Create(permitLimit: 4);

        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(RequestPriority.Normal, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(RequestPriority.Normal, -1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiter.AcquireAsync(RequestPriority.Normal, 2));
        Assert.Equal(0, limiter.InService);
    }

    [Fact]
    public async Task Acquire_UnknownPriority_Throws()
    {
        using var limiter = Create(permitLimit: 1);
        var unknown = (RequestPriority)RequestPriorities.Count;

        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(unknown));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiter.AcquireAsync(unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.GetStatistics(unknown));
    }

    // Dispose.

    [Fact]
    public async Task Dispose_WithWaiters_FailsThemAndRefusesLaterCalls()
    {
        var limiter = Create(permitLimit: 1);
        var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var waiter = Acquire(limiter, RequestPriority.Critical);
        var low = Acquire(limiter, RequestPriority.Low);

        limiter.Dispose();

        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(await waiter));
        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(await low));
        Assert.Equal(0, limiter.Waiting);
        Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire(RequestPriority.Critical));
        Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire(RequestPriority.Critical, 0));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await limiter.AcquireAsync(RequestPriority.Critical));
        holder.Dispose();
        limiter.Dispose();
        Assert.Equal(0, limiter.InService);
    }

    [Fact]
    public async Task DisposeAsync_WithWaiter_FailsWaiterAndUnsubscribesFromSampled()
    {
        var limiter = Create(permitLimit: 1);
        using var holder = limiter.AttemptAcquire(RequestPriority.Normal);
        var waiter = Acquire(limiter, RequestPriority.Normal);
        Assert.Equal(1, _pressure.SubscriberCount);

        await limiter.DisposeAsync();

        Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(await waiter));
        Assert.Equal(0, _pressure.SubscriberCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await limiter.AcquireAsync(RequestPriority.Normal));
    }

    // Options.

    [Fact]
    public void Options_Defaults_MatchDocumentation()
    {
        var options = new PriorityConcurrencyLimiterOptions();

        Assert.Equal(50, options.PermitLimit);
        Assert.Equal(200, options.QueueLimit);
        Assert.Equal(100, options.ShedThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), options.QueueTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryAfter);
        Assert.Equal(70.0, options.CpuWaitPercent);
        Assert.Equal(80.0, options.CpuShedPercent);
        Assert.Equal(500L * 1024 * 1024, options.MaxHeapBytes);
    }

    [Theory]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.PermitLimit), 0)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.QueueLimit), -1)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.ShedThreshold), -1)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.ShedThreshold), 201)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.QueueTimeout), 0)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.QueueTimeout), -1)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.RetryAfter), -1)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.CpuWaitPercent), -1)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.CpuWaitPercent), 90)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.CpuWaitPercent), double.NaN)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.CpuShedPercent), 101)]
    [InlineData(nameof(PriorityConcurrencyLimiterOptions.MaxHeapBytes), 0)]
    public void Constructor_OptionOutOfRange_ThrowsNamingProperty(string property, double value)
    {
        var options = new PriorityConcurrencyLimiterOptions();
        switch (property)
        {
            case nameof(options.PermitLimit): options.PermitLimit = (int)value; break;
            case nameof(options.QueueLimit): options.QueueLimit = (int)value; break;
            case nameof(options.ShedThreshold): options.ShedThreshold = (int)value; break;
            case nameof(options.QueueTimeout): options.QueueTimeout = TimeSpan.FromSeconds(value); break;
            case nameof(options.RetryAfter): options.RetryAfter = TimeSpan.FromSeconds(value); break;
            case nameof(options.CpuWaitPercent): options.CpuWaitPercent = value; break;
            case nameof(options.CpuShedPercent): options.CpuShedPercent = value; break;
            case nameof(options.MaxHeapBytes): options.MaxHeapBytes = (long)value; break;
            default: throw new ArgumentOutOfRangeException(nameof(property), property, null);
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityConcurrencyLimiter(options, _time));

        Assert.EndsWith(property, ex.ParamName, StringComparison.Ordinal);
    }

    // Concurrency.

    [Fact]
    public async Task AcquireAsync_ManyConcurrentCallers_NeverExceedsPermitLimitAndAllComplete()
    {
        const int PermitLimit = 4;
        const int Workers = 32;
        const int Iterations = 200;
        using var limiter = Create(permitLimit: PermitLimit, queueLimit: Workers, shedThreshold: Workers);
        var inService = 0;
        var highWater = 0;
        var acquired = 0;

        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < Iterations; i++)
            {
                var priority = (RequestPriority)random.Next(RequestPriorities.Count);
                using var lease = random.Next(4) == 0
                    ? limiter.AttemptAcquire(priority)
                    : await limiter.AcquireAsync(priority);
                if (!lease.IsAcquired)
                {
                    Assert.Equal(AdmissionRejectionReason.QueueFull, Reason(lease));
                    continue;
                }

                Interlocked.Increment(ref acquired);
                var now = Interlocked.Increment(ref inService);
                RaiseHighWater(ref highWater, now);
                Assert.True(limiter.InService <= PermitLimit);
                await Task.Yield();
                Interlocked.Decrement(ref inService);
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.InRange(highWater, 1, PermitLimit);
        Assert.Equal(0, limiter.InService);
        Assert.Equal(0, limiter.Waiting);
        var stats = limiter.GetStatistics(RequestPriority.Normal)!;
        Assert.Equal(acquired, stats.TotalSuccessfulLeases);
        Assert.Equal((Workers * Iterations) - acquired, stats.TotalFailedLeases);
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentCancellationAndSamples_LeaksNoPermit()
    {
        const int PermitLimit = 3;
        const int Workers = 24;
        const int Iterations = 150;
        using var limiter = Create(permitLimit: PermitLimit, queueLimit: Workers, shedThreshold: Workers);
        var inService = 0;
        var highWater = 0;
        var acquired = 0;
        var canceled = 0;
        var failed = 0;
        using var stop = new CancellationTokenSource();

        var sampler = Task.Run(() =>
        {
            var random = new Random(1000);
            while (!stop.IsCancellationRequested)
            {
                _pressure.Current = new(random.Next(3) == 0 ? AboveWait : Calm, 0);
            }

            _pressure.Current = new(Calm, 0);
        });

        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < Iterations; i++)
            {
                var priority = (RequestPriority)random.Next(RequestPriorities.Count);
                using var cts = new CancellationTokenSource();
                var pending = limiter.AcquireAsync(priority, 1, cts.Token).AsTask();
                if (random.Next(3) == 0)
                {
                    await Task.Run(cts.Cancel);
                }

                RateLimitLease lease;
                try
                {
                    lease = await pending;
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref canceled);
                    continue;
                }

                using (lease)
                {
                    if (!lease.IsAcquired)
                    {
                        Interlocked.Increment(ref failed);
                        continue;
                    }

                    Interlocked.Increment(ref acquired);
                    RaiseHighWater(ref highWater, Interlocked.Increment(ref inService));
                    await Task.Yield();
                    Interlocked.Decrement(ref inService);
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await sampler.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.InRange(highWater, 1, PermitLimit);
        Assert.Equal(Workers * Iterations, acquired + canceled + failed);
        Assert.Equal(0, limiter.InService);
        Assert.Equal(0, limiter.Waiting);
        var stats = limiter.GetStatistics(RequestPriority.Low)!;
        Assert.Equal(acquired, stats.TotalSuccessfulLeases);
        Assert.Equal(failed, stats.TotalFailedLeases);
        using var last = limiter.AttemptAcquire(RequestPriority.Low);
        Assert.True(last.IsAcquired);
    }

    private static void RaiseHighWater(ref int highWater, int value)
    {
        var seen = Volatile.Read(ref highWater);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref highWater, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private static AdmissionRejectionReason Reason(RateLimitLease lease) => Assert.IsType<PriorityLease>(lease).Reason;

    private static Task<RateLimitLease> Acquire(PriorityConcurrencyLimiter limiter, RequestPriority priority, CancellationToken cancellationToken = default) =>
        limiter.AcquireAsync(priority, 1, cancellationToken).AsTask();

    private static PriorityConcurrencyLimiterOptions Options(int permitLimit, int queueLimit = 10, int shedThreshold = 10, TimeSpan? retryAfter = null) => new()
    {
        PermitLimit = permitLimit,
        QueueLimit = queueLimit,
        ShedThreshold = shedThreshold,
        QueueTimeout = QueueTimeout,
        RetryAfter = retryAfter ?? TimeSpan.FromSeconds(1),
        CpuWaitPercent = 70,
        CpuShedPercent = 80,
        MaxHeapBytes = MaxHeap,
    };

    private PriorityConcurrencyLimiter Create(int permitLimit, int queueLimit = 10, int shedThreshold = 10, TimeSpan? retryAfter = null) =>
        new(Options(permitLimit, queueLimit, shedThreshold, retryAfter), _time, _pressure);
}
