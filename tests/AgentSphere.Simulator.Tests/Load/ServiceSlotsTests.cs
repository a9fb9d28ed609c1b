using AgentSphere.Simulator.Load;

namespace AgentSphere.Simulator.Tests.Load;

public sealed class ServiceSlotsTests
{
    [Fact]
    public async Task AcquireAsync_WhenFull_ServesWaitersInArrivalOrder()
    {
        // Arrange
        var slots = new ServiceSlots(1);
        await slots.AcquireAsync(CancellationToken.None);
        var first = slots.AcquireAsync(CancellationToken.None);
        var second = slots.AcquireAsync(CancellationToken.None);
        var third = slots.AcquireAsync(CancellationToken.None);

        // Act
        slots.Release();
        await first.WaitAsync(TimeSpan.FromSeconds(5));

        // Assert
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.Equal((1, 2), slots.GetCounts());
        slots.Release();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task TryAcquire_WhileOthersWait_DoesNotOvertakeTheQueue()
    {
        // Arrange
        var slots = new ServiceSlots(1);
        Assert.True(slots.TryAcquire());
        var waiter = slots.AcquireAsync(CancellationToken.None);

        // Act
        slots.Release();
        var overtook = slots.TryAcquire();

        // Assert
        Assert.False(overtook);
        await waiter.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((1, 0), slots.GetCounts());
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileQueued_LeavesQueueAtOnceAndNeverTakesASlot()
    {
        // Arrange
        var slots = new ServiceSlots(1);
        await slots.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = slots.AcquireAsync(cancel.Token);
        var next = slots.AcquireAsync(CancellationToken.None);

        // Act
        await cancel.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal((1, 1), slots.GetCounts());
        slots.Release();
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        slots.Release();
        Assert.Equal((0, 0), slots.GetCounts());
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_ThrowsWithoutQueueing()
    {
        var slots = new ServiceSlots(1);
        await slots.AcquireAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.AcquireAsync(new CancellationToken(canceled: true)));
        Assert.Equal((1, 0), slots.GetCounts());
    }

    [Fact]
    public void Release_MoreThanAcquired_Throws()
    {
        var slots = new ServiceSlots(2);

        Assert.Throws<InvalidOperationException>(slots.Release);
    }
}
