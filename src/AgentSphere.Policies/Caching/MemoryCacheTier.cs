using System.Diagnostics.CodeAnalysis;

namespace AgentSphere.Policies.Caching;

/// <summary>One memory tier of the response cache: bounded by entry count and body bytes, least recently used out first, entries capped to the tier's lifetime.</summary>
/// <remarks>
/// A dictionary finds entries, a linked list keeps them in recency order (most recent first) and a tag index maps each tag to
/// its keys, all under one lock: every operation is O(1) except tag eviction (O(entries with the tag)) and the expiry sweep.
/// Expired entries are dropped when looked up, when they reach the end of the recency list, and by a sweep of the whole tier
/// that runs on a write at most once per <see cref="SweepInterval"/>, so they do not hold memory long after they stop being served.
/// All times come from the caller, which reads the injected <see cref="TimeProvider"/>.
/// </remarks>
internal sealed class MemoryCacheTier
{
    /// <summary>Least time between two sweeps of expired entries.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, LinkedListNode<MemoryCacheEntry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<MemoryCacheEntry> _recency = new();
    private readonly Dictionary<string, HashSet<string>> _keysByTag = new(StringComparer.Ordinal);
    private readonly OutputCacheStatistics _statistics;
    private readonly Lock _lock = new();
    private long _bytes;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public MemoryCacheTier(OutputCacheTier tier, int maxEntries, long maxBytes, TimeSpan maxLifetime, OutputCacheStatistics statistics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxLifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(statistics);
        Tier = tier;
        MaxEntries = maxEntries;
        MaxBytes = maxBytes;
        MaxLifetime = maxLifetime;
        _statistics = statistics;
    }

    /// <summary>Which tier this is, for statistics.</summary>
    public OutputCacheTier Tier { get; }

    /// <summary>Most entries held.</summary>
    public int MaxEntries { get; }

    /// <summary>Most body bytes held.</summary>
    public long MaxBytes { get; }

    /// <summary>Longest an entry is held.</summary>
    public TimeSpan MaxLifetime { get; }

    /// <summary>Entries held now, expired ones not yet dropped included.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Body bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The live entry for <paramref name="key"/>, made the most recently used; an expired one is dropped and not returned.</summary>
    public bool TryGet(string key, DateTimeOffset now, [NotNullWhen(true)] out MemoryCacheEntry? entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (!node.Value.IsExpired(now))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    entry = node.Value;
                    return true;
                }

                Remove(node);
                _statistics.RecordEvictions(Tier, OutputCacheEvictionReason.Expired, 1);
            }
        }

        entry = null;
        return false;
    }

    /// <summary>Whether a live entry for <paramref name="key"/> is held, without touching its recency or any counter.</summary>
    public bool Contains(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var node) && !node.Value.IsExpired(now);
        }
    }

    /// <summary>Stores (or replaces) a response until <c>min(<paramref name="expires"/>, now + MaxLifetime)</c>, then evicts least recently used entries while over a bound.</summary>
    /// <returns>False when nothing was stored: the response is already expired or larger than the whole tier.</returns>
    public bool Set(string key, byte[] body, string[] tags, DateTimeOffset expires, DateTimeOffset now)
    {
        var capped = now + MaxLifetime;
        if (expires < capped)
        {
            capped = expires;
        }

        if (capped <= now || body.Length > MaxBytes)
        {
            return false;
        }

        var entry = new MemoryCacheEntry(key, body, tags, capped);
        lock (_lock)
        {
            if (now >= _nextSweep)
            {
                _nextSweep = now + SweepInterval;
                SweepExpired(now);
            }

            if (_entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            var node = _recency.AddFirst(entry);
            _entries.Add(key, node);
            _bytes += body.Length;
            foreach (var tag in tags)
            {
                if (!_keysByTag.TryGetValue(tag, out var keys))
                {
                    keys = new HashSet<string>(StringComparer.Ordinal);
                    _keysByTag.Add(tag, keys);
                }

                keys.Add(key);
            }

            while (_entries.Count > MaxEntries || _bytes > MaxBytes)
            {
                var victim = _recency.Last!;
                Remove(victim);
                var reason = victim.Value.IsExpired(now) ? OutputCacheEvictionReason.Expired : OutputCacheEvictionReason.Capacity;
                _statistics.RecordEvictions(Tier, reason, 1);
            }
        }

        return true;
    }

    /// <summary>Drops the entry for <paramref name="key"/>, if any, without counting an eviction.</summary>
    public bool Remove(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return false;
            }

            Remove(node);
            return true;
        }
    }

    /// <summary>Drops every entry carrying <paramref name="tag"/>; returns how many.</summary>
    public int EvictTag(string tag)
    {
        var evicted = 0;
        lock (_lock)
        {
            if (!_keysByTag.Remove(tag, out var keys))
            {
                return 0;
            }

            foreach (var key in keys)
            {
                if (_entries.TryGetValue(key, out var node))
                {
                    Remove(node);
                    evicted++;
                }
            }
        }

        _statistics.RecordEvictions(Tier, OutputCacheEvictionReason.Tag, evicted);
        return evicted;
    }

    private void SweepExpired(DateTimeOffset now)
    {
        var expired = 0;
        var node = _recency.First;
        while (node is not null)
        {
            var next = node.Next;
            if (node.Value.IsExpired(now))
            {
                Remove(node);
                expired++;
            }

            node = next;
        }

        _statistics.RecordEvictions(Tier, OutputCacheEvictionReason.Expired, expired);
    }

    private void Remove(LinkedListNode<MemoryCacheEntry> node)
    {
        var entry = node.Value;
        _entries.Remove(entry.Key);
        _recency.Remove(node);
        _bytes -= entry.Body.Length;
        foreach (var tag in entry.Tags)
        {
            if (_keysByTag.TryGetValue(tag, out var keys) && keys.Remove(entry.Key) && keys.Count == 0)
            {
                _keysByTag.Remove(tag);
            }
        }
    }
}
