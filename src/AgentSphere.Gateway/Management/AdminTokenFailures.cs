using System.Net;
using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Gateway.Forwarding;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Management;

/// <summary>Counts wrong admin tokens per peer address, so guessing the token is slow: past <c>Management:FailedTokenLimit</c> failures within <c>Management:FailedTokenWindow</c>, a peer is refused until its window ends.</summary>
/// <remarks>
/// A fixed window per peer, opened by its first failure. The table holds at most <see cref="MaxTrackedPeers"/> peers; when it is full,
/// expired windows are swept out (at most once a second), and failures from peers that still find no room share one overflow window,
/// so a flood of addresses can neither grow memory nor escape the limit (while such a flood lasts, new peers share its refusal).
/// Only the peer's address is kept and logged, never a token.
/// </remarks>
internal sealed partial class AdminTokenFailures(IOptionsMonitor<ManagementOptions> options, TimeProvider timeProvider, ILogger<AdminTokenFailures> logger)
{
    internal const int MaxTrackedPeers = 10_000;

    private readonly Dictionary<IPAddress, Window> _peers = [];
    private readonly Window _overflow = new();
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>How many peers the table tracks now.</summary>
    internal int TrackedPeers
    {
        get
        {
            lock (_lock)
            {
                return _peers.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="peer"/> is over the limit; <paramref name="retryAfter"/> is then the time left in its window.</summary>
    public bool IsBlocked(IPAddress? peer, out TimeSpan retryAfter)
    {
        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            var window = _peers.GetValueOrDefault(Key(peer)) ?? (_peers.Count >= MaxTrackedPeers ? _overflow : null);
            if (window is not null && window.Count >= settings.FailedTokenLimit && now < window.Start + settings.FailedTokenWindow)
            {
                retryAfter = window.Start + settings.FailedTokenWindow - now;
                return true;
            }
        }

        retryAfter = TimeSpan.Zero;
        return false;
    }

    /// <summary>Counts one wrong token from <paramref name="peer"/>.</summary>
    public void RecordFailure(IPAddress? peer)
    {
        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        var key = Key(peer);
        int count;
        bool overflow;
        lock (_lock)
        {
            if (!_peers.TryGetValue(key, out var window))
            {
                if (_peers.Count >= MaxTrackedPeers)
                {
                    Sweep(now, settings.FailedTokenWindow);
                }

                if (_peers.Count < MaxTrackedPeers)
                {
                    window = new Window();
                    _peers.Add(key, window);
                }
                else
                {
                    window = _overflow;
                }
            }

            if (window.Count == 0 || now >= window.Start + settings.FailedTokenWindow)
            {
                window.Start = now;
                window.Count = 0;
            }

            count = ++window.Count;
            overflow = ReferenceEquals(window, _overflow);
        }

        if (count == settings.FailedTokenLimit)
        {
            Log.PeerBlocked(logger, overflow ? "(untracked peers)" : key.ToString(), count, settings.FailedTokenWindow.TotalSeconds);
        }
    }

    private void Sweep(DateTimeOffset now, TimeSpan length)
    {
        if (now - _lastSweep < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lastSweep = now;
        List<IPAddress>? expired = null;
        foreach (var (address, window) in _peers)
        {
            if (now >= window.Start + length)
            {
                (expired ??= []).Add(address);
            }
        }

        foreach (var address in expired ?? [])
        {
            _peers.Remove(address);
        }
    }

    private static IPAddress Key(IPAddress? peer) => peer is null ? IPAddress.None : TrustedProxies.Normalize(peer);

    private sealed class Window
    {
        public DateTimeOffset Start;
        public int Count;
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.AdminTokenPeerBlocked, LogLevel.Warning, "Peer {Peer} sent {Failures} wrong admin tokens; its admin requests get 429 for up to {WindowSeconds} s")]
        public static partial void PeerBlocked(ILogger logger, string peer, int failures, double windowSeconds);
    }
}
