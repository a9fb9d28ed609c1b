using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Tests.Workloads;

public sealed class SandboxPoolTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryBeginCreate_BelowTarget_ReservesUntilLivePlusPendingReachesIt()
    {
        // Arrange
        var pool = new SandboxPool(target: 3, maxCreatesInFlight: 8, TimeSpan.FromMinutes(4));
        pool.BeginCreate();
        pool.CreateSucceeded(0, "a", T0);

        // Act
        var second = pool.TryBeginCreate();
        var third = pool.TryBeginCreate();
        var fourth = pool.TryBeginCreate();

        // Assert
        Assert.True(second);
        Assert.True(third);
        Assert.False(fourth);
        Assert.Equal(1, pool.Live);
        Assert.Equal(2, pool.Pending);
    }

    [Fact]
    public void TryBeginCreate_AtInFlightLimit_Refuses_UnlessALargerLimitIsGiven()
    {
        var pool = new SandboxPool(target: 20, maxCreatesInFlight: 2, TimeSpan.FromMinutes(4));

        Assert.True(pool.TryBeginCreate());
        Assert.True(pool.TryBeginCreate());
        Assert.False(pool.TryBeginCreate());
        Assert.True(pool.TryBeginCreate(maxInFlight: 3));
        Assert.Equal(3, pool.Pending);
    }

    [Fact]
    public void CreateFailed_ReleasesTheReservation()
    {
        var pool = new SandboxPool(1, 1, TimeSpan.FromMinutes(4));
        Assert.True(pool.TryBeginCreate());

        pool.CreateFailed();

        Assert.Equal(0, pool.Pending);
        Assert.True(pool.TryBeginCreate());
    }

    [Fact]
    public void TryTakeOldest_RemovesInCreationOrder()
    {
        // Arrange
        var pool = Filled(("a", 0, 0), ("b", 1, 1), ("c", 2, 2));

        // Act
        Assert.True(pool.TryTakeOldest(T0.AddSeconds(3), out var first));
        Assert.True(pool.TryTakeOldest(T0.AddSeconds(3), out var second));

        // Assert
        Assert.Equal(new PooledSandbox(0, "a", T0), first);
        Assert.Equal("b", second.Id);
        Assert.Equal(1, pool.Live);
    }

    [Fact]
    public void TryPick_SeededRandom_ReturnsTheIndexedSandboxAndLeavesItLive()
    {
        var pool = Filled(("a", 0, 0), ("b", 1, 1), ("c", 2, 2));

        Assert.True(pool.TryPick(new ScriptedRandom(ints: [2]), T0.AddSeconds(5), out var picked));

        Assert.Equal("c", picked.Id);
        Assert.Equal(2, picked.Caller);
        Assert.Equal(3, pool.Live);
    }

    [Fact]
    public void TryPick_SandboxesPastUsableFor_AreDroppedAndCounted()
    {
        // Arrange: usable for 60 s; a and b were created at 0 s and 10 s, c at 50 s.
        var pool = new SandboxPool(5, 5, TimeSpan.FromSeconds(60));
        foreach (var (id, at) in new[] { ("a", 0), ("b", 10), ("c", 50) })
        {
            pool.BeginCreate();
            pool.CreateSucceeded(0, id, T0.AddSeconds(at));
        }

        // Act: at 70 s, a (70 s old) and b (60 s old) are past 60 s.
        var found = pool.TryPick(new ScriptedRandom(ints: [0]), T0.AddSeconds(70), out var picked);

        // Assert
        Assert.True(found);
        Assert.Equal("c", picked.Id);
        Assert.Equal(1, pool.Live);
        Assert.Equal(2, pool.Expired);
    }

    [Fact]
    public void Empty_PickAndTake_ReturnFalse()
    {
        var pool = new SandboxPool(2, 2, TimeSpan.FromMinutes(4));

        Assert.False(pool.TryPick(new Random(1), T0, out _));
        Assert.False(pool.TryTakeOldest(T0, out _));
    }

    [Fact]
    public void PerCallerMembers_SeeOnlyThatCallersSandboxes()
    {
        var pool = Filled(("a", 4, 0), ("b", 7, 1), ("c", 4, 2));

        Assert.Equal([4, 7], pool.Owners());
        Assert.True(pool.TryPickOf(4, new ScriptedRandom(ints: [1]), T0.AddSeconds(3), out var picked));
        Assert.Equal("c", picked.Id);
        Assert.False(pool.TryPickOf(9, new Random(1), T0.AddSeconds(3), out _));
        Assert.True(pool.TryTakeOldestOf(4, T0.AddSeconds(3), out var taken));
        Assert.Equal("a", taken.Id);
        Assert.Equal(["b", "c"], pool.TakeAll().Select(s => s.Id));
        Assert.Equal(0, pool.Live);
    }

    [Fact]
    public void Remove_KnownAndUnknown()
    {
        var pool = Filled(("a", 0, 0));

        Assert.True(pool.Remove("a"));
        Assert.False(pool.Remove("a"));
    }

    private static SandboxPool Filled(params (string Id, int Caller, int Second)[] sandboxes)
    {
        var pool = new SandboxPool(10, 10, TimeSpan.FromMinutes(4));
        foreach (var (id, caller, second) in sandboxes)
        {
            pool.BeginCreate();
            pool.CreateSucceeded(caller, id, T0.AddSeconds(second));
        }

        return pool;
    }
}
