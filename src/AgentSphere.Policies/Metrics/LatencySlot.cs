using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Metrics;

/// <summary>One second of <see cref="OperationLatencyWindow"/>'s ring: the second it holds and each operation's counts in it.</summary>
internal sealed class LatencySlot
{
    /// <summary>The epoch of a slot that has never held a second.</summary>
    public const long Unused = long.MinValue;

    private static readonly int OperationCount = AgentSphereOperations.Names.Count;

    private readonly LatencyCounters?[] _operations = new LatencyCounters?[OperationCount];
    private long _epoch = Unused;

    /// <summary>The second (timestamp ÷ frequency) the counts belong to, or <see cref="Unused"/>.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Makes the slot hold <paramref name="second"/>: the first writer of a newer second claims it with a compare-and-swap and clears the old counts.</summary>
    /// <remarks>
    /// Writers are never stopped while the winner clears, so a request of the new second counted between the swap and the end of the clear
    /// (a few microseconds, once per slot per window) can be lost, and a writer that read the clock just before a long pause can count into a
    /// newer second. Both are accepted by design: the alternative is a lock or a wait on every request.
    /// </remarks>
    public void Enter(long second)
    {
        var epoch = Volatile.Read(ref _epoch);
        while (epoch < second)
        {
            var seen = Interlocked.CompareExchange(ref _epoch, second, epoch);
            if (seen == epoch)
            {
                if (epoch != Unused)
                {
                    Clear();
                }

                return;
            }

            epoch = seen;
        }
    }

    /// <summary>The counts of operation <paramref name="index"/>, created on the slot's first request of it (reused, not reallocated, in later seconds).</summary>
    public LatencyCounters Counters(int index) => Volatile.Read(ref _operations[index]) ?? Create(index);

    /// <summary>The counts of operation <paramref name="index"/>, or null when the slot never had one.</summary>
    public LatencyCounters? Peek(int index) => Volatile.Read(ref _operations[index]);

    private LatencyCounters Create(int index)
    {
        var created = new LatencyCounters();
        return Interlocked.CompareExchange(ref _operations[index], created, null) ?? created;
    }

    private void Clear()
    {
        foreach (var counters in _operations)
        {
            counters?.Clear();
        }
    }
}
