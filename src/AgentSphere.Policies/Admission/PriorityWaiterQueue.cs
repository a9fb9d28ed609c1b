namespace AgentSphere.Policies.Admission;

/// <summary>The waiters of one priority, oldest first, linked through the waiters themselves so that removal from anywhere is O(1) and free of allocation; guarded by the limiter's lock.</summary>
internal sealed class PriorityWaiterQueue
{
    private PriorityWaiter? _newest;

    /// <summary>Waiters in this queue.</summary>
    public int Count { get; private set; }

    /// <summary>The waiter queued first, or null when empty.</summary>
    public PriorityWaiter? Oldest { get; private set; }

    /// <summary>The waiter queued last, or null when empty.</summary>
    public PriorityWaiter? Newest => _newest;

    /// <summary>Appends <paramref name="waiter"/> as the newest.</summary>
    public void Enqueue(PriorityWaiter waiter)
    {
        waiter.Older = _newest;
        waiter.Newer = null;
        if (_newest is null)
        {
            Oldest = waiter;
        }
        else
        {
            _newest.Newer = waiter;
        }

        _newest = waiter;
        waiter.IsQueued = true;
        Count++;
    }

    /// <summary>Unlinks <paramref name="waiter"/>, which must be queued here.</summary>
    public void Remove(PriorityWaiter waiter)
    {
        if (waiter.Older is null)
        {
            Oldest = waiter.Newer;
        }
        else
        {
            waiter.Older.Newer = waiter.Newer;
        }

        if (waiter.Newer is null)
        {
            _newest = waiter.Older;
        }
        else
        {
            waiter.Newer.Older = waiter.Older;
        }

        waiter.Older = null;
        waiter.Newer = null;
        waiter.IsQueued = false;
        Count--;
    }
}
