using System.Collections.Concurrent;
using System.Diagnostics;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Redis;

namespace AgentSphere.Policies.Tests.Redis;

/// <summary>Each test gets its own server, because each stops and restarts it.</summary>
public sealed class FailoverStoreTests : IAsyncLifetime
{
    private readonly string _prefix = GatewayNode.NewPrefix();
    private readonly string _callerId = CallerIdentity.Compute("failover-test-key-" + Guid.NewGuid());
    private readonly QuotaWindow _window = QuotaWindow.Containing(DateTimeOffset.UtcNow, 0);
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TryAcquireAsync_RedisStopped_ServesLocallyWithScaledLimitWithoutWaiting()
    {
        // A long operation timeout: if a request waited on it, the elapsed-time check below would notice.
        await using var node = await GatewayNode.ConnectAsync(_server.ConnectionString, _prefix, o =>
        {
            o.FallbackShare = 0.5;
            o.OperationTimeout = TimeSpan.FromSeconds(5);
            o.RetryInterval = TimeSpan.FromSeconds(30);
        });
        var sharedLease = await node.FailoverConcurrency.TryAcquireAsync(_callerId, 4, CancellationToken.None);
        var sharedQuota = await node.FailoverQuota.TryConsumeAsync(_callerId, _window, 3, CancellationToken.None);

        await _server.StopAsync();
        var clock = Stopwatch.StartNew();
        var leases = new List<ConcurrencyGrant>();
        var quota = new List<QuotaGrant>();
        for (var i = 0; i < 3; i++)
        {
            leases.Add(await node.FailoverConcurrency.TryAcquireAsync(_callerId, 4, CancellationToken.None));
            quota.Add(await node.FailoverQuota.TryConsumeAsync(_callerId, _window, 3, CancellationToken.None));
        }

        await node.FailoverConcurrency.ReleaseAsync(sharedLease);
        await node.FailoverQuota.RefundAsync(sharedQuota);
        clock.Stop();

        Assert.True(sharedLease.Shared && sharedQuota.Shared);
        Assert.Equal(new[] { true, true, false }, leases.Select(g => g.Acquired));
        Assert.All(leases, g => Assert.False(g.Shared));
        Assert.All(leases, g => Assert.Equal(2, g.Limit));
        Assert.Equal(new[] { true, true, false }, quota.Select(g => g.Granted));
        Assert.All(quota, g => Assert.Equal(2, g.Limit));
        Assert.Equal(3, node.FailoverConcurrency.LocalFallbacks);
        Assert.Equal(3, node.FailoverQuota.LocalFallbacks);
        Assert.Equal(RedisState.Unavailable, node.Connection.State);
        Assert.True(clock.Elapsed < node.Settings.OperationTimeout, $"requests waited {clock.Elapsed} while Redis was down");

        await node.FailoverConcurrency.ReleaseAsync(leases[0]);
        Assert.Equal(1, node.LocalConcurrency.InUse(_callerId));
    }

    [Fact]
    public async Task TryAcquireAsync_RedisStopsMidTrafficAndReturns_KeepsServingThenSharesAgain()
    {
        const int Limit = 4;
        await using var a = await GatewayNode.ConnectAsync(_server.ConnectionString, _prefix);
        await using var b = await GatewayNode.ConnectAsync(_server.ConnectionString, _prefix);
        var nodes = new[] { a, b };
        var states = new ConcurrentQueue<RedisState>();
        a.Connection.StateChanged += states.Enqueue;
        var failures = new ConcurrentQueue<Exception>();
        var shared = 0;
        var local = 0;
        var localLimits = new ConcurrentQueue<int>();
        using var stop = new CancellationTokenSource();

        async Task WorkerAsync(int worker)
        {
            var node = nodes[worker % 2];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var lease = await node.FailoverConcurrency.TryAcquireAsync(_callerId, Limit, CancellationToken.None);
                    var quota = await node.FailoverQuota.TryConsumeAsync(_callerId, _window, int.MaxValue, CancellationToken.None);
                    if (lease.Acquired)
                    {
                        if (lease.Shared)
                        {
                            Interlocked.Increment(ref shared);
                        }
                        else
                        {
                            Interlocked.Increment(ref local);
                            localLimits.Enqueue(lease.Limit);
                        }

                        await node.FailoverConcurrency.ReleaseAsync(lease);
                    }

                    await node.FailoverQuota.RefundAsync(quota);

                    // Pacing, not waiting for a condition: keeps a steady request rate on a small machine.
                    await Task.Delay(2, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        }

        var workers = Enumerable.Range(0, 6).Select(i => Task.Run(() => WorkerAsync(i))).ToArray();
        await Eventually.TrueAsync(() => Volatile.Read(ref shared) > 30, "shared grants before the outage");

        await _server.StopAsync();
        var localBefore = Volatile.Read(ref local);
        await Eventually.TrueAsync(() => Volatile.Read(ref local) > localBefore + 30, "local grants during the outage");
        await _server.StartAsync();
        var sharedAtRestart = Volatile.Read(ref shared);
        await Eventually.TrueAsync(() => Volatile.Read(ref shared) > sharedAtRestart + 30, "shared grants after Redis is back");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.All(localLimits, limit => Assert.Equal(2, limit));
        Assert.True(a.FailoverConcurrency.LocalFallbacks + b.FailoverConcurrency.LocalFallbacks > 0);
        Assert.Equal(0, a.LocalConcurrency.InUse(_callerId));
        Assert.Equal(0, b.LocalConcurrency.InUse(_callerId));
        Assert.Contains(RedisState.Unavailable, states);
        Assert.Equal(RedisState.Connected, states.Last());
        Assert.Equal(RedisState.Connected, a.Connection.State);
    }
}
