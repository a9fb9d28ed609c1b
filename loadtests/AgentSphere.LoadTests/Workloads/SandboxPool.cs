namespace AgentSphere.LoadTests.Workloads;

/// <summary>The live sandboxes of a run, each owned by the caller that created it, plus the creates still in flight.</summary>
/// <remarks>
/// Reads pick a live sandbox at random; a cleanup takes the oldest (so sandboxes are deleted before they expire) and
/// removes it at once, so no later request goes to a sandbox being deleted. A create may start only while live plus
/// in-flight sandboxes are below <see cref="Target"/> and fewer than <see cref="MaxCreatesInFlight"/> creates are in
/// flight: the pool stays near its target size, and the gateway's 10-at-once limit on creates is never reached by the
/// workload itself. A sandbox older than <see cref="UsableFor"/> is dropped without a delete (it is about to expire at
/// the backend; a read of it would fail with 404). Every member is thread-safe.
/// </remarks>
internal sealed class SandboxPool
{
    private readonly Lock _gate = new();
    private readonly List<PooledSandbox> _live = [];
    private int _pending;

    public SandboxPool(int target, int maxCreatesInFlight, TimeSpan usableFor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCreatesInFlight);
        Target = target;
        MaxCreatesInFlight = maxCreatesInFlight;
        UsableFor = usableFor;
    }

    /// <summary>Live plus in-flight sandboxes the pool aims for.</summary>
    public int Target { get; }

    /// <summary>Creates allowed in flight at once.</summary>
    public int MaxCreatesInFlight { get; }

    /// <summary>How long after its creation a sandbox may still be used.</summary>
    public TimeSpan UsableFor { get; }

    public int Live
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>Sandboxes dropped because they reached <see cref="UsableFor"/>.</summary>
    public int Expired { get; private set; }

    /// <summary>Reserves a create if the pool is below its target and under the in-flight limit (<see cref="MaxCreatesInFlight"/> unless given).</summary>
    public bool TryBeginCreate(int? maxInFlight = null)
    {
        lock (_gate)
        {
            if (_live.Count + _pending >= Target || _pending >= (maxInFlight ?? MaxCreatesInFlight))
            {
                return false;
            }

            _pending++;
            return true;
        }
    }

    /// <summary>Reserves a create regardless of the target (a create the scenario asks for explicitly).</summary>
    public void BeginCreate()
    {
        lock (_gate)
        {
            _pending++;
        }
    }

    /// <summary>A reserved create succeeded: the sandbox joins the pool.</summary>
    public void CreateSucceeded(int caller, string sandboxId, DateTimeOffset now)
    {
        lock (_gate)
        {
            _pending = Math.Max(0, _pending - 1);
            _live.Add(new PooledSandbox(caller, sandboxId, now));
        }
    }

    /// <summary>A reserved create failed.</summary>
    public void CreateFailed()
    {
        lock (_gate)
        {
            _pending = Math.Max(0, _pending - 1);
        }
    }

    /// <summary>A live sandbox chosen uniformly at random (one <see cref="Random.Next(int)"/> draw), left in the pool.</summary>
    public bool TryPick(Random random, DateTimeOffset now, out PooledSandbox sandbox)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_gate)
        {
            PruneExpired(now);
            if (_live.Count == 0)
            {
                sandbox = default;
                return false;
            }

            sandbox = _live[random.Next(_live.Count)];
            return true;
        }
    }

    /// <summary>A live sandbox of <paramref name="caller"/> chosen uniformly at random, left in the pool.</summary>
    public bool TryPickOf(int caller, Random random, DateTimeOffset now, out PooledSandbox sandbox)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_gate)
        {
            PruneExpired(now);
            var owned = _live.Where(s => s.Caller == caller).ToList();
            if (owned.Count == 0)
            {
                sandbox = default;
                return false;
            }

            sandbox = owned[random.Next(owned.Count)];
            return true;
        }
    }

    /// <summary>Removes and returns the oldest live sandbox of <paramref name="caller"/>, to be deleted.</summary>
    public bool TryTakeOldestOf(int caller, DateTimeOffset now, out PooledSandbox sandbox)
    {
        lock (_gate)
        {
            PruneExpired(now);
            var index = _live.FindIndex(s => s.Caller == caller);
            if (index < 0)
            {
                sandbox = default;
                return false;
            }

            sandbox = _live[index];
            _live.RemoveAt(index);
            return true;
        }
    }

    /// <summary>The callers that own at least one live sandbox, in order of their oldest one.</summary>
    public IReadOnlyList<int> Owners()
    {
        lock (_gate)
        {
            return [.. _live.Select(s => s.Caller).Distinct()];
        }
    }

    /// <summary>Removes and returns the oldest live sandbox, to be deleted.</summary>
    public bool TryTakeOldest(DateTimeOffset now, out PooledSandbox sandbox)
    {
        lock (_gate)
        {
            PruneExpired(now);
            if (_live.Count == 0)
            {
                sandbox = default;
                return false;
            }

            sandbox = _live[0];
            _live.RemoveAt(0);
            return true;
        }
    }

    /// <summary>Forgets a sandbox the backend no longer has (a read answered 404).</summary>
    public bool Remove(string sandboxId)
    {
        lock (_gate)
        {
            var index = _live.FindIndex(s => s.Id == sandboxId);
            if (index < 0)
            {
                return false;
            }

            _live.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Removes and returns every live sandbox, oldest first (the end-of-run teardown).</summary>
    public IReadOnlyList<PooledSandbox> TakeAll()
    {
        lock (_gate)
        {
            var all = _live.ToArray();
            _live.Clear();
            return all;
        }
    }

    private void PruneExpired(DateTimeOffset now)
    {
        // Oldest first, so the expired ones are a prefix.
        var count = 0;
        while (count < _live.Count && now - _live[count].CreatedAt >= UsableFor)
        {
            count++;
        }

        if (count > 0)
        {
            _live.RemoveRange(0, count);
            Expired += count;
        }
    }
}
