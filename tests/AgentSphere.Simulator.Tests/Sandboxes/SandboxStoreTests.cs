using AgentSphere.Simulator.Api;
using AgentSphere.Simulator.Sandboxes;
using AgentSphere.Simulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Simulator.Tests.Sandboxes;

public sealed class SandboxStoreTests
{
    private const string Team = "team-a";

    private readonly FakeTimeProvider _clock = new(TestStore.Start);
    private readonly SandboxStore _store;

    public SandboxStoreTests() => _store = TestStore.Create(_clock);

    [Fact]
    public void Create_Spec_StartsRunningUntilNowPlusTimeout()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 60));

        Assert.Equal(SandboxState.Running, sandbox.State);
        Assert.Equal(TestStore.Start, sandbox.StartedAt);
        Assert.Equal(TestStore.Start.AddSeconds(60), sandbox.EndAt);
        Assert.Matches("^[a-z0-9]{20}$", sandbox.Id);
        Assert.Null(sandbox.EnvdAccessToken);
        Assert.Equal(1, _store.CountRunning());
    }

    [Fact]
    public void Create_Secure_IssuesAnAccessToken()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(secure: true));

        Assert.Matches("^[0-9a-f]{64}$", sandbox.EnvdAccessToken);
    }

    [Fact]
    public void Create_SameSeed_GivesTheSameIds()
    {
        var other = TestStore.Create(new FakeTimeProvider(TestStore.Start));

        var ids = Enumerable.Range(0, 5).Select(_ => _store.Create(Team, TestStore.Spec()).Id).ToList();
        var twinIds = Enumerable.Range(0, 5).Select(_ => other.Create(Team, TestStore.Spec()).Id).ToList();

        Assert.Equal(ids, twinIds);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public void Get_JustBeforeEndAt_StillExists()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 15));

        _clock.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromMilliseconds(1));

        Assert.NotNull(_store.Get(Team, sandbox.Id));
    }

    [Fact]
    public void Get_AtEndAt_SandboxIsGone()
    {
        // Arrange
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 15));

        // Act
        _clock.Advance(TimeSpan.FromSeconds(15));

        // Assert
        Assert.Null(_store.Get(Team, sandbox.Id));
        Assert.Empty(_store.List(Team, QueryParser.RunningAndPaused, MetadataFilter.None));
        Assert.Equal(0, _store.CountRunning());
    }

    [Fact]
    public void SweepExpired_PastEndAt_RemovesAndCounts()
    {
        _store.Create(Team, TestStore.Spec(timeoutSeconds: 5));
        _store.Create(Team, TestStore.Spec(timeoutSeconds: 50));
        _clock.Advance(TimeSpan.FromSeconds(6));

        var expired = _store.SweepExpired();

        Assert.Equal(1, expired);
        Assert.Single(_store.List(Team, QueryParser.RunningAndPaused, MetadataFilter.None));
    }

    [Fact]
    public void Get_AutoPauseSandboxAtEndAt_IsPausedInsteadOfGone()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 15, autoPause: true));

        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(SandboxState.Paused, _store.Get(Team, sandbox.Id)?.State);
        Assert.Equal(0, _store.CountRunning());
    }

    [Fact]
    public void Get_PausedSandboxLongAfterEndAt_DoesNotExpire()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 15));
        _store.Pause(Team, sandbox.Id);

        _clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(SandboxState.Paused, _store.Get(Team, sandbox.Id)?.State);
    }

    [Fact]
    public void Get_OtherTeam_IsNotFound()
    {
        var sandbox = _store.Create(Team, TestStore.Spec());

        Assert.Null(_store.Get("team-b", sandbox.Id));
        Assert.False(_store.Delete("team-b", sandbox.Id));
        Assert.Empty(_store.List("team-b", QueryParser.RunningAndPaused, MetadataFilter.None));
        Assert.NotNull(_store.Get(Team, sandbox.Id));
    }

    [Fact]
    public void SetTimeout_ShorterThanRemaining_ShortensEndAt()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 300));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var result = _store.SetTimeout(Team, sandbox.Id, TimeSpan.FromSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TestStore.Start.AddSeconds(15), result.Sandbox?.EndAt);
        Assert.Null(_store.Get(Team, sandbox.Id));
    }

    [Fact]
    public void Refresh_ShorterThanRemaining_KeepsTheLaterEndAt()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 300));

        var shorter = _store.Refresh(Team, sandbox.Id, TimeSpan.FromSeconds(10));
        var longer = _store.Refresh(Team, sandbox.Id, TimeSpan.FromSeconds(600));

        Assert.Equal(TestStore.Start.AddSeconds(300), shorter.Sandbox?.EndAt);
        Assert.Equal(TestStore.Start.AddSeconds(600), longer.Sandbox?.EndAt);
    }

    [Fact]
    public void Pause_Twice_SecondIsAlreadyPaused()
    {
        var sandbox = _store.Create(Team, TestStore.Spec());

        var first = _store.Pause(Team, sandbox.Id);
        var second = _store.Pause(Team, sandbox.Id);

        Assert.Equal(SandboxOutcome.Ok, first.Outcome);
        Assert.Equal(SandboxOutcome.AlreadyPaused, second.Outcome);
        Assert.Equal(0, _store.CountRunning());
    }

    [Fact]
    public void Resume_Running_IsAlreadyRunning()
    {
        var sandbox = _store.Create(Team, TestStore.Spec());

        Assert.Equal(SandboxOutcome.AlreadyRunning, _store.Resume(Team, sandbox.Id, TimeSpan.FromSeconds(15), null).Outcome);
    }

    [Fact]
    public void Resume_Paused_RunsUntilNowPlusTimeout()
    {
        // Arrange
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 15));
        _store.Pause(Team, sandbox.Id);
        _clock.Advance(TimeSpan.FromHours(1));

        // Act
        var result = _store.Resume(Team, sandbox.Id, TimeSpan.FromSeconds(30), autoPause: true);

        // Assert
        Assert.Equal(SandboxOutcome.Resumed, result.Outcome);
        Assert.Equal(SandboxState.Running, result.Sandbox?.State);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), result.Sandbox?.EndAt);
        Assert.True(result.Sandbox?.AutoPause);
        Assert.Equal(1, _store.CountRunning());
    }

    [Fact]
    public void Connect_Running_ExtendsButNeverShortens()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 100));

        var shorter = _store.Connect(Team, sandbox.Id, TimeSpan.FromSeconds(10));
        var longer = _store.Connect(Team, sandbox.Id, TimeSpan.FromSeconds(200));

        Assert.Equal(SandboxOutcome.Ok, shorter.Outcome);
        Assert.Equal(TestStore.Start.AddSeconds(100), shorter.Sandbox?.EndAt);
        Assert.Equal(TestStore.Start.AddSeconds(200), longer.Sandbox?.EndAt);
    }

    [Fact]
    public void Connect_Paused_ResumesIt()
    {
        var sandbox = _store.Create(Team, TestStore.Spec(timeoutSeconds: 100));
        _store.Pause(Team, sandbox.Id);

        var result = _store.Connect(Team, sandbox.Id, TimeSpan.FromSeconds(10));

        Assert.Equal(SandboxOutcome.Resumed, result.Outcome);
        Assert.Equal(TestStore.Start.AddSeconds(10), result.Sandbox?.EndAt);
    }

    [Fact]
    public void Lifecycle_UnknownSandbox_IsNotFound()
    {
        const string missing = "aaaaaaaaaaaaaaaaaaaa";

        Assert.Equal(SandboxOutcome.NotFound, _store.Pause(Team, missing).Outcome);
        Assert.Equal(SandboxOutcome.NotFound, _store.Resume(Team, missing, TimeSpan.Zero, null).Outcome);
        Assert.Equal(SandboxOutcome.NotFound, _store.Connect(Team, missing, TimeSpan.Zero).Outcome);
        Assert.Equal(SandboxOutcome.NotFound, _store.SetTimeout(Team, missing, TimeSpan.Zero).Outcome);
        Assert.Equal(SandboxOutcome.NotFound, _store.Refresh(Team, missing, TimeSpan.Zero).Outcome);
        Assert.Null(_store.GetEvents(Team, missing));
    }

    [Fact]
    public void GetEvents_AfterLifecycle_RecordsEachStepInOrder()
    {
        var sandbox = _store.Create(Team, TestStore.Spec());
        _store.SetTimeout(Team, sandbox.Id, TimeSpan.FromSeconds(60));
        _store.Pause(Team, sandbox.Id);
        _store.Resume(Team, sandbox.Id, TimeSpan.FromSeconds(15), null);
        _store.Connect(Team, sandbox.Id, TimeSpan.FromSeconds(15));
        _store.Refresh(Team, sandbox.Id, TimeSpan.FromSeconds(15));

        var events = _store.GetEvents(Team, sandbox.Id)!;

        Assert.Equal(["created", "timeout", "paused", "resumed", "connected", "refreshed"], events.Select(e => e.Fields["event"]));
    }

    [Fact]
    public void List_StatesAndMetadata_FilterTogether()
    {
        // Arrange
        var u1 = new Dictionary<string, string> { ["userId"] = "u1" };
        var running = _store.Create(Team, TestStore.Spec(metadata: u1));
        var paused = _store.Create(Team, TestStore.Spec(metadata: u1));
        _store.Create(Team, TestStore.Spec(metadata: new Dictionary<string, string> { ["userId"] = "u2" }));
        _store.Pause(Team, paused.Id);
        Assert.True(MetadataFilter.TryParse("userId=u1", out var filter, out _));

        // Act
        var runningOnly = _store.List(Team, QueryParser.RunningOnly, filter);
        var both = _store.List(Team, QueryParser.RunningAndPaused, filter);

        // Assert
        Assert.Equal([running.Id], runningOnly.Select(s => s.Id));
        Assert.Equal(2, both.Count);
    }

    [Fact]
    public void ListPage_WalkingEveryPage_ReturnsEachSandboxOnceInOrder()
    {
        // Arrange: 23 sandboxes, several sharing a start time so the id tie-breaker matters.
        var created = new List<SandboxInfo>();
        for (var i = 0; i < 23; i++)
        {
            created.Add(_store.Create(Team, TestStore.Spec(timeoutSeconds: 3600)));
            if (i % 3 == 2)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var expected = created
            .OrderByDescending(s => s.StartedAt)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => s.Id)
            .ToList();

        // Act
        var walked = Walk(limit: 5);

        // Assert
        Assert.Equal(expected, walked);
    }

    [Fact]
    public void ListPage_SandboxesDeletedAndCreatedMidWalk_NoDuplicatesOrGapsAmongSurvivors()
    {
        // Arrange
        var created = Enumerable.Range(0, 10).Select(_ => _store.Create(Team, TestStore.Spec(timeoutSeconds: 3600))).ToList();
        var first = _store.ListPage(Team, QueryParser.RunningAndPaused, MetadataFilter.None, 4, null);

        // Act: delete one already returned and one not yet returned, add a newer one, then continue.
        _store.Delete(Team, first.Items[0].Id);
        var notYetSeen = created.Select(s => s.Id).Except(first.Items.Select(s => s.Id)).First();
        _store.Delete(Team, notYetSeen);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _store.Create(Team, TestStore.Spec(timeoutSeconds: 3600));
        var rest = new List<string>();
        var cursor = first.Next;
        while (cursor is not null)
        {
            var page = _store.ListPage(Team, QueryParser.RunningAndPaused, MetadataFilter.None, 4, cursor);
            rest.AddRange(page.Items.Select(s => s.Id));
            cursor = page.Next;
        }

        // Assert
        var seen = first.Items.Select(s => s.Id).Concat(rest).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var survivors = created.Select(s => s.Id).Where(id => id != first.Items[0].Id && id != notYetSeen);
        Assert.All(survivors, id => Assert.Contains(id, seen));
    }

    [Fact]
    public void ListPage_ExactlyOnePageOfItems_HasNoNextCursor()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.Create(Team, TestStore.Spec());
        }

        var page = _store.ListPage(Team, QueryParser.RunningAndPaused, MetadataFilter.None, 5, null);

        Assert.Equal(5, page.Items.Count);
        Assert.Null(page.Next);
    }

    private List<string> Walk(int limit)
    {
        var ids = new List<string>();
        SandboxPageCursor? cursor = null;
        do
        {
            var page = _store.ListPage(Team, QueryParser.RunningAndPaused, MetadataFilter.None, limit, cursor);
            Assert.InRange(page.Items.Count, 1, limit);
            ids.AddRange(page.Items.Select(s => s.Id));
            cursor = page.Next;
        }
        while (cursor is not null);

        return ids;
    }
}
