namespace AgentSphere.Simulator.Load;

/// <summary>A fixed number of service slots with a strict FIFO queue of waiters.</summary>
/// <remarks>
/// A released slot is handed straight to the oldest waiter, so a newcomer can never overtake the queue. A waiter whose
/// token is cancelled leaves the queue at once and never takes a slot. If the hand-over and the cancellation race, the
/// hand-over wins under the lock and the caller owns the slot (and must release it).
/// </remarks>
internal sealed class ServiceSlots
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _available;

    public ServiceSlots(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _available = capacity;
    }

    public int Capacity { get; }

    /// <summary>Slots held and requests waiting, read together.</summary>
    public (int InService, int Waiting) GetCounts()
    {
        lock (_lock)
        {
            return (Capacity - _available, _waiters.Count);
        }
    }

    /// <summary>Takes a slot if one is free and nobody is waiting.</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return true;
            }

            return false;
        }
    }

    /// <summary>Waits in line for a slot; throws <see cref="OperationCanceledException"/> if cancelled while waiting.</summary>
    public Task AcquireAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return Task.CompletedTask;
            }

            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return WaitAsync(node, cancellationToken);
    }

    /// <summary>Returns a slot: to the oldest waiter if there is one, else to the pool.</summary>
    public void Release()
    {
        TaskCompletionSource? next = null;
        lock (_lock)
        {
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                next = first.Value;
            }
            else if (_available < Capacity)
            {
                _available++;
            }
            else
            {
                throw new InvalidOperationException("More slots released than acquired.");
            }
        }

        next?.TrySetResult();
    }

    private async Task WaitAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (slots, waiter) = ((ServiceSlots, LinkedListNode<TaskCompletionSource>))state!;
                slots.Cancel(waiter, token);
            },
            (this, node));
        await using (registration.ConfigureAwait(false))
        {
            await node.Value.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(LinkedListNode<TaskCompletionSource> node, CancellationToken token)
    {
        lock (_lock)
        {
            if (node.List is null)
            {
                return; // already handed a slot
            }

            _waiters.Remove(node);
        }

        node.Value.TrySetCanceled(token);
    }
}
