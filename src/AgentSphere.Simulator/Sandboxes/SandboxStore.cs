using System.Globalization;
using AgentSphere.Simulator.Randomness;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The in-memory sandboxes of one simulator, owned by teams (hashes of the API keys that created them).</summary>
/// <remarks>
/// Expiry is lazy: every call first removes running sandboxes whose end time has passed (or pauses them when they were
/// created with autoPause). A full scan only happens when the earliest known end time is due; a periodic sweep
/// (<see cref="SandboxExpirySweeper"/>) keeps the running count right while nobody calls.
/// </remarks>
internal sealed class SandboxStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SandboxEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, SandboxEntry>> _byTeam = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly SimulatorRandom _random;
    private readonly string _clientId;
    private readonly string _envdVersion;
    private DateTimeOffset _nextExpiry = DateTimeOffset.MaxValue;
    private int _running;

    public SandboxStore(TimeProvider time, SimulatorRandom random, IOptions<SimulatorOptions> options)
    {
        _time = time;
        _random = random;
        _clientId = options.Value.ClientId;
        _envdVersion = options.Value.EnvdVersion;
    }

    public SandboxInfo Create(string team, SandboxSpec spec)
    {
        lock (_lock)
        {
            var now = Sweep();
            string id;
            do
            {
                id = _random.NextAlphanumeric(SandboxIds.Length);
            }
            while (_byId.ContainsKey(id));

            var token = spec.Secure ? _random.NextHex(64) : null;
            var info = new SandboxInfo(id, spec.TemplateId, _clientId, _envdVersion, token, now, now + spec.Timeout, SandboxState.Running, spec.Metadata, spec.AutoPause);
            var entry = new SandboxEntry(team, info, spec.EnvVars);
            _byId.Add(id, entry);
            if (!_byTeam.TryGetValue(team, out var owned))
            {
                owned = new Dictionary<string, SandboxEntry>(StringComparer.Ordinal);
                _byTeam.Add(team, owned);
            }

            owned.Add(id, entry);
            _running++;
            NoteEndAt(info.EndAt);
            AddEvent(entry, now, "created", $"Sandbox {id} created from template {spec.TemplateId}", ("templateID", spec.TemplateId), ("timeout", Seconds(spec.Timeout)));
            return info;
        }
    }

    public SandboxInfo? Get(string team, string id)
    {
        lock (_lock)
        {
            Sweep();
            return Find(team, id)?.Info;
        }
    }

    public SandboxEvent[]? GetEvents(string team, string id)
    {
        lock (_lock)
        {
            Sweep();
            return Find(team, id)?.GetEvents();
        }
    }

    public bool Delete(string team, string id)
    {
        lock (_lock)
        {
            Sweep();
            if (Find(team, id) is not { } entry)
            {
                return false;
            }

            Remove(entry);
            return true;
        }
    }

    /// <summary>Sets the end time to now + <paramref name="timeout"/>, shortening it if asked to.</summary>
    public SandboxResult SetTimeout(string team, string id, TimeSpan timeout)
    {
        lock (_lock)
        {
            var now = Sweep();
            if (Find(team, id) is not { } entry)
            {
                return SandboxResult.NotFound;
            }

            Update(entry, entry.Info with { EndAt = now + timeout });
            AddEvent(entry, now, "timeout", $"Sandbox timeout set to {Seconds(timeout)} s", ("timeout", Seconds(timeout)));
            return new(SandboxOutcome.Ok, entry.Info);
        }
    }

    /// <summary>Extends the end time to now + <paramref name="duration"/> unless it is later already.</summary>
    public SandboxResult Refresh(string team, string id, TimeSpan duration)
    {
        lock (_lock)
        {
            var now = Sweep();
            if (Find(team, id) is not { } entry)
            {
                return SandboxResult.NotFound;
            }

            var endAt = now + duration > entry.Info.EndAt ? now + duration : entry.Info.EndAt;
            Update(entry, entry.Info with { EndAt = endAt });
            AddEvent(entry, now, "refreshed", $"Sandbox refreshed for {Seconds(duration)} s", ("duration", Seconds(duration)));
            return new(SandboxOutcome.Ok, entry.Info);
        }
    }

    public SandboxResult Pause(string team, string id)
    {
        lock (_lock)
        {
            var now = Sweep();
            if (Find(team, id) is not { } entry)
            {
                return SandboxResult.NotFound;
            }

            if (!entry.IsRunning)
            {
                return new(SandboxOutcome.AlreadyPaused, entry.Info);
            }

            PauseEntry(entry, now, "Sandbox paused");
            return new(SandboxOutcome.Ok, entry.Info);
        }
    }

    public SandboxResult Resume(string team, string id, TimeSpan timeout, bool? autoPause)
    {
        lock (_lock)
        {
            var now = Sweep();
            if (Find(team, id) is not { } entry)
            {
                return SandboxResult.NotFound;
            }

            if (entry.IsRunning)
            {
                return new(SandboxOutcome.AlreadyRunning, entry.Info);
            }

            ResumeEntry(entry, now, timeout, autoPause, "Sandbox resumed");
            return new(SandboxOutcome.Resumed, entry.Info);
        }
    }

    /// <summary>Connects to a sandbox: extends a running one to at least now + timeout, resumes a paused one.</summary>
    public SandboxResult Connect(string team, string id, TimeSpan timeout)
    {
        lock (_lock)
        {
            var now = Sweep();
            if (Find(team, id) is not { } entry)
            {
                return SandboxResult.NotFound;
            }

            if (!entry.IsRunning)
            {
                ResumeEntry(entry, now, timeout, autoPause: null, "Sandbox resumed by connect");
                return new(SandboxOutcome.Resumed, entry.Info);
            }

            var endAt = now + timeout > entry.Info.EndAt ? now + timeout : entry.Info.EndAt;
            Update(entry, entry.Info with { EndAt = endAt });
            AddEvent(entry, now, "connected", "Client connected to sandbox", ("timeout", Seconds(timeout)));
            return new(SandboxOutcome.Ok, entry.Info);
        }
    }

    /// <summary>The team's sandboxes in the given states that match the filter, newest first (then by id).</summary>
    public IReadOnlyList<SandboxInfo> List(string team, IReadOnlySet<SandboxState> states, MetadataFilter filter)
    {
        lock (_lock)
        {
            Sweep();
            return Collect(team, states, filter);
        }
    }

    /// <summary>One page of <see cref="List"/> after <paramref name="after"/>.</summary>
    public SandboxPage ListPage(string team, IReadOnlySet<SandboxState> states, MetadataFilter filter, int limit, SandboxPageCursor? after)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var all = List(team, states, filter);
        var start = 0;
        if (after is { } cursor)
        {
            while (start < all.Count && !cursor.Precedes(all[start]))
            {
                start++;
            }
        }

        var count = Math.Min(limit, all.Count - start);
        var items = new SandboxInfo[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = all[start + i];
        }

        var more = start + count < all.Count;
        return new SandboxPage(items, more ? SandboxPageCursor.After(items[^1]) : null);
    }

    /// <summary>Running sandboxes (expired ones removed first).</summary>
    public int CountRunning()
    {
        lock (_lock)
        {
            Sweep();
            return _running;
        }
    }

    /// <summary>Removes (or auto-pauses) every running sandbox past its end time; returns how many.</summary>
    public int SweepExpired()
    {
        lock (_lock)
        {
            var before = _running;
            Sweep();
            return before - _running;
        }
    }

    private DateTimeOffset Sweep()
    {
        var now = _time.GetUtcNow();
        if (now < _nextExpiry)
        {
            return now;
        }

        List<SandboxEntry>? expired = null;
        var next = DateTimeOffset.MaxValue;
        foreach (var entry in _byId.Values)
        {
            if (!entry.IsRunning)
            {
                continue;
            }

            if (entry.Info.EndAt <= now)
            {
                (expired ??= []).Add(entry);
            }
            else if (entry.Info.EndAt < next)
            {
                next = entry.Info.EndAt;
            }
        }

        _nextExpiry = next;
        foreach (var entry in expired ?? [])
        {
            if (entry.Info.AutoPause)
            {
                PauseEntry(entry, entry.Info.EndAt, "Sandbox paused at its timeout (autoPause)");
            }
            else
            {
                Remove(entry);
            }
        }

        return now;
    }

    private SandboxEntry? Find(string team, string id) =>
        _byId.TryGetValue(id, out var entry) && string.Equals(entry.Team, team, StringComparison.Ordinal) ? entry : null;

    private List<SandboxInfo> Collect(string team, IReadOnlySet<SandboxState> states, MetadataFilter filter)
    {
        var result = new List<SandboxInfo>();
        if (_byTeam.TryGetValue(team, out var owned))
        {
            foreach (var entry in owned.Values)
            {
                if (states.Contains(entry.Info.State) && filter.Matches(entry.Info.Metadata))
                {
                    result.Add(entry.Info);
                }
            }
        }

        result.Sort(static (a, b) =>
        {
            var byStart = b.StartedAt.UtcTicks.CompareTo(a.StartedAt.UtcTicks);
            return byStart != 0 ? byStart : string.CompareOrdinal(a.Id, b.Id);
        });
        return result;
    }

    private void Update(SandboxEntry entry, SandboxInfo info)
    {
        entry.Info = info;
        if (entry.IsRunning)
        {
            NoteEndAt(info.EndAt);
        }
    }

    private void PauseEntry(SandboxEntry entry, DateTimeOffset now, string message)
    {
        entry.Info = entry.Info with { State = SandboxState.Paused };
        _running--;
        AddEvent(entry, now, "paused", message);
    }

    private void ResumeEntry(SandboxEntry entry, DateTimeOffset now, TimeSpan timeout, bool? autoPause, string message)
    {
        entry.Info = entry.Info with { State = SandboxState.Running, EndAt = now + timeout, AutoPause = autoPause ?? entry.Info.AutoPause };
        _running++;
        NoteEndAt(entry.Info.EndAt);
        AddEvent(entry, now, "resumed", message, ("timeout", Seconds(timeout)));
    }

    private void Remove(SandboxEntry entry)
    {
        _byId.Remove(entry.Info.Id);
        if (_byTeam.TryGetValue(entry.Team, out var owned))
        {
            owned.Remove(entry.Info.Id);
            if (owned.Count == 0)
            {
                _byTeam.Remove(entry.Team);
            }
        }

        if (entry.IsRunning)
        {
            _running--;
        }
    }

    private void NoteEndAt(DateTimeOffset endAt)
    {
        if (endAt < _nextExpiry)
        {
            _nextExpiry = endAt;
        }
    }

    private static void AddEvent(SandboxEntry entry, DateTimeOffset now, string kind, string message, params ReadOnlySpan<(string Key, string Value)> fields)
    {
        var all = new Dictionary<string, string>(fields.Length + 2, StringComparer.Ordinal)
        {
            ["event"] = kind,
            ["sandboxID"] = entry.Info.Id,
        };
        foreach (var (key, value) in fields)
        {
            all[key] = value;
        }

        entry.AddEvent(new SandboxEvent(now, "info", message, all));
    }

    private static string Seconds(TimeSpan value) => ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
