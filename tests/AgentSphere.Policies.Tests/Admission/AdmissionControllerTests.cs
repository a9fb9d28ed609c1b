using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class AdmissionControllerTests : IDisposable
{
    private static readonly string Alice = CallerIdentity.Compute("alice-key");
    private static readonly string Bob = CallerIdentity.Compute("bob-key");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCallerConcurrencyStore _callers = new();
    private readonly InMemoryDailyQuotaStore _quotas = new();
    private readonly ControllablePressure _pressure = new();
    private AdmissionController? _controller;

    public void Dispose() => _controller?.Dispose();

    [Fact]
    public async Task AdmitAsync_CreateUnderEveryLimit_AdmitsWithCallerSlotAndQuotaCount()
    {
        var controller = Create();

        await using var ticket = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);

        Assert.True(ticket.Admitted);
        Assert.Equal(new ConcurrencyGrant(true, Alice, 1, 5, Alice, false), ticket.Caller);
        Assert.Equal(1, ticket.Quota!.Value.Used);
        Assert.Equal(99, ticket.Quota.Value.Remaining);
        Assert.Equal(1, controller.Snapshot().InService);
    }

    [Fact]
    public async Task AdmitAsync_SixthConcurrentRequestOfOneCaller_RefusedByCallerConcurrencyWith429()
    {
        var controller = Create();
        var held = new List<AdmissionTicket>();
        for (var i = 0; i < 5; i++)
        {
            held.Add(await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default));
        }

        var sixth = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default);
        var otherCaller = await controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Low), default);

        Assert.All(held, t => Assert.True(t.Admitted));
        Assert.Equal(AdmissionPolicy.CallerConcurrency, sixth.Rejection!.Policy);
        Assert.Equal(429, sixth.Rejection.StatusCode);
        Assert.Equal(5, sixth.Rejection.Limit);
        Assert.True(otherCaller.Admitted);
        Assert.Equal(6, controller.Snapshot().InService); // the refused request gave its global slot back

        await held[0].CompleteAsync(countsAgainstQuota: true);
        var afterRelease = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default);
        Assert.True(afterRelease.Admitted);
    }

    [Fact]
    public async Task AdmitAsync_EleventhConcurrentCreate_RefusedByOperationConcurrencyBeforeCallerStage()
    {
        var controller = Create(o => o.Caller.MaxConcurrency = 100);
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default)).Admitted);
        }

        var eleventh = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Bob, RequestPriority.Normal), default);
        var aList = await controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Low), default);

        Assert.Equal(AdmissionPolicy.OperationConcurrency, eleventh.Rejection!.Policy);
        Assert.Equal(10, eleventh.Rejection.Limit);
        Assert.Equal(1, _callers.InUse(Bob)); // only the list: the refused create never reached the caller stage
        Assert.True(aList.Admitted);
        Assert.Equal(10, _quotas.Used(Alice, QuotaWindow.Containing(_time.GetUtcNow(), 0)));
    }

    [Fact]
    public async Task AdmitAsync_GlobalLimitAndQueueFull_WaitsThenRefusesWith503()
    {
        var controller = Create(o =>
        {
            o.Global.MaxConcurrency = 2;
            o.Global.QueueLimit = 1;
            o.Global.ShedThreshold = 1;
        });
        var first = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Normal), default);
        await controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Normal), default);

        var waiting = controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Normal), default).AsTask();
        var refused = await controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Normal), default);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(AdmissionPolicy.GlobalConcurrency, refused.Rejection!.Policy);
        Assert.Equal(503, refused.Rejection.StatusCode);
        Assert.Equal(1, _callers.InUse(Bob)); // the refused request never took a caller slot

        await first.CompleteAsync(countsAgainstQuota: true);
        Assert.True((await waiting).Admitted);
    }

    [Fact]
    public async Task AdmitAsync_WaitLongerThanQueueTimeout_RefusedAsOverload()
    {
        var controller = Create(o =>
        {
            o.Global.MaxConcurrency = 1;
            o.Global.QueueTimeout = TimeSpan.FromSeconds(5);
        });
        await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Normal), default);
        var waiting = controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Normal), default).AsTask();

        _time.Advance(TimeSpan.FromSeconds(5));
        var ticket = await waiting;

        Assert.Equal(AdmissionPolicy.GlobalConcurrency, ticket.Rejection!.Policy);
        Assert.Contains("waited 5 s", ticket.Rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitAsync_WaitersOfDifferentPriorities_AdmittedHighestFirst()
    {
        var controller = Create(o => o.Global.MaxConcurrency = 1);
        var holder = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Normal), default);
        var low = controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Low), default).AsTask();
        var high = controller.AdmitAsync(new(AgentSphereOperation.Cleanup, Bob, RequestPriority.High), default).AsTask();

        await holder.CompleteAsync(true);

        Assert.True((await high).Admitted);
        Assert.False(low.IsCompleted);
    }

    [Fact]
    public async Task AdmitAsync_ClientGoneWhileWaiting_ThrowsAndFreesItsPlace()
    {
        var controller = Create(o => o.Global.MaxConcurrency = 1);
        await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Normal), default);
        using var gone = new CancellationTokenSource();
        var waiting = controller.AdmitAsync(new(AgentSphereOperation.List, Bob, RequestPriority.Normal), gone.Token).AsTask();
        Assert.Equal(1, controller.Snapshot().Waiting[(int)RequestPriority.Normal]);

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, controller.Snapshot().Waiting.Sum());
        Assert.Equal(0, _callers.InUse(Bob));
    }

    [Fact]
    public async Task AdmitAsync_QuotaUsedUp_RefusedUntilTheConfiguredResetHour()
    {
        var controller = Create(o =>
        {
            o.DailyQuota.Limit = 3;
            o.DailyQuota.ResetHourUtc = 6;
        });
        for (var i = 0; i < 3; i++)
        {
            await (await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default)).DisposeAsync();
        }

        var fourth = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);
        var otherCaller = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Bob, RequestPriority.Normal), default);

        Assert.Equal(AdmissionPolicy.DailyQuota, fourth.Rejection!.Policy);
        Assert.Equal(429, fourth.Rejection.StatusCode);
        Assert.Equal(TimeSpan.FromHours(20), fourth.Rejection.RetryAfter); // 10:00 now, next reset 06:00 tomorrow
        Assert.Equal(0, _callers.InUse(Alice)); // the refused request gave its caller slot back
        Assert.True(otherCaller.Admitted);

        _time.Advance(TimeSpan.FromHours(20) - TimeSpan.FromSeconds(1));
        Assert.False((await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default)).Admitted);
    }

    [Fact]
    public async Task CompleteAsync_RequestThatDidNoWork_GivesItsQuotaCountBack()
    {
        var controller = Create(o => o.DailyQuota.Limit = 1);
        var failed = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);

        await failed.CompleteAsync(countsAgainstQuota: false);
        var retry = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);
        await retry.CompleteAsync(countsAgainstQuota: true);
        var third = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);

        Assert.True(retry.Admitted);
        Assert.Equal(AdmissionPolicy.DailyQuota, third.Rejection!.Policy);
    }

    [Fact]
    public async Task AdmitAsync_OperationNotCounted_LeavesQuotaAlone()
    {
        var controller = Create(o => o.DailyQuota.Limit = 1);

        for (var i = 0; i < 3; i++)
        {
            await using var ticket = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default);
            Assert.True(ticket.Admitted);
            Assert.Null(ticket.Quota);
        }

        Assert.Equal(0, _quotas.Used(Alice, QuotaWindow.Containing(_time.GetUtcNow(), 0)));
    }

    [Fact]
    public async Task AdmitAsync_ConfiguredQuotaOperations_CountThoseInstead()
    {
        var controller = Create(o =>
        {
            o.DailyQuota.Limit = 2;
            o.DailyQuota.Operations = ["list", "find"];
        });

        await (await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default)).DisposeAsync();
        await (await controller.AdmitAsync(new(AgentSphereOperation.Find, Alice, RequestPriority.Low), default)).DisposeAsync();
        var create = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);
        var third = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default);

        Assert.True(create.Admitted);
        Assert.Equal(AdmissionPolicy.DailyQuota, third.Rejection!.Policy);
    }

    [Fact]
    public async Task AdmitAsync_AnonymousRequest_SkipsCallerAndQuotaStages()
    {
        var controller = Create();

        await using var ticket = await controller.AdmitAsync(new(AgentSphereOperation.Health, null, RequestPriority.Critical), default);

        Assert.True(ticket.Admitted);
        Assert.Null(ticket.Caller);
        Assert.Equal(0, _callers.TrackedCallers);
    }

    [Fact]
    public async Task AdmitAsync_CpuAboveShedLevel_ShedsLowPriorityWith503AndAdmitsHigh()
    {
        var controller = Create();
        _pressure.Set(new ResourcePressure(CpuPercent: 85, HeapBytes: 0));

        var low = await controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default);
        var high = await controller.AdmitAsync(new(AgentSphereOperation.Cleanup, Alice, RequestPriority.High), default);

        Assert.Equal(AdmissionPolicy.CpuGuard, low.Rejection!.Policy);
        Assert.Equal(503, low.Rejection.StatusCode);
        Assert.True(high.Admitted);
    }

    [Fact]
    public async Task AdmitAsync_CpuBetweenWaitAndShed_LowPriorityWaitsUntilCpuDrops()
    {
        var controller = Create();
        _pressure.Set(new ResourcePressure(CpuPercent: 75, HeapBytes: 0));

        var low = controller.AdmitAsync(new(AgentSphereOperation.List, Alice, RequestPriority.Low), default).AsTask();
        var normal = await controller.AdmitAsync(new(AgentSphereOperation.Connect, Alice, RequestPriority.Normal), default);
        Assert.False(low.IsCompleted);
        Assert.True(normal.Admitted);

        _pressure.Set(new ResourcePressure(CpuPercent: 40, HeapBytes: 0));

        Assert.True((await low).Admitted);
    }

    [Fact]
    public async Task AdmitAsync_HeapAboveLimit_ShedsNormalWith503()
    {
        var controller = Create(o => o.Resources.MaxHeapMegabytes = 100);
        _pressure.Set(new ResourcePressure(CpuPercent: 0, HeapBytes: 101L * 1024 * 1024));

        var normal = await controller.AdmitAsync(new(AgentSphereOperation.Deploy, Alice, RequestPriority.Normal), default);
        var critical = await controller.AdmitAsync(new(AgentSphereOperation.Health, null, RequestPriority.Critical), default);

        Assert.Equal(AdmissionPolicy.MemoryGuard, normal.Rejection!.Policy);
        Assert.True(critical.Admitted);
        Assert.Equal(0, _quotas.Used(Alice, QuotaWindow.Containing(_time.GetUtcNow(), 0)));
    }

    [Fact]
    public void PolicyInfo_DefaultOptions_MatchTheSeed()
    {
        var controller = Create();

        Assert.Equal(10, controller.OperationLimit(AgentSphereOperation.Deploy));
        Assert.Equal(30, controller.OperationLimit(AgentSphereOperation.Health));
        Assert.Equal(0, controller.OperationLimit(AgentSphereOperation.List));
        Assert.True(controller.CountsAgainstQuota(AgentSphereOperation.Deploy));
        Assert.False(controller.CountsAgainstQuota(AgentSphereOperation.List));
        Assert.True(controller.IsAnonymous(AgentSphereOperation.Health));
        Assert.False(controller.IsAnonymous(AgentSphereOperation.List));
        Assert.Equal(RequestPriority.Low, controller.ResolvePriority(AgentSphereOperation.List, Alice, null));
        Assert.Equal(RequestPriority.High, controller.ResolvePriority(AgentSphereOperation.Cleanup, Alice, null));
        Assert.Equal(RequestPriority.Critical, controller.ResolvePriority(AgentSphereOperation.Health, null, null));
        Assert.Equal(RequestPriority.Normal, controller.ResolvePriority(AgentSphereOperation.Deploy, Alice, null));
    }

    [Fact]
    public void ResolvePriority_TrustedCallerAsks_GetsWhatItAsksAndOthersAreIgnored()
    {
        var controller = Create(o => o.Priorities.TrustedCallers = [Alice]);

        Assert.Equal(RequestPriority.Critical, controller.ResolvePriority(AgentSphereOperation.List, Alice, "critical"));
        Assert.Equal(RequestPriority.Low, controller.ResolvePriority(AgentSphereOperation.List, Bob, "critical"));
        Assert.Equal(RequestPriority.Low, controller.ResolvePriority(AgentSphereOperation.List, Alice, "urgent!"));
    }

    private AdmissionController Create(Action<AdmissionOptions>? configure = null)
    {
        var options = new AdmissionOptions();
        configure?.Invoke(options);
        _controller = new AdmissionController(Options.Create(options), _callers, _quotas, _time, _pressure);
        return _controller;
    }

    private sealed class ControllablePressure : IResourcePressureSource
    {
        public ResourcePressure Current { get; private set; }

        public event Action<ResourcePressure>? Sampled;

        public void Set(ResourcePressure pressure)
        {
            Current = pressure;
            Sampled?.Invoke(pressure);
        }
    }
}
