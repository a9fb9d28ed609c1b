using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Tests.Redis;

/// <summary>The shared-state objects of one gateway instance: its own Redis connection, the Redis, local and failover stores.</summary>
internal sealed class GatewayNode : IAsyncDisposable
{
    private bool _disposed;

    private GatewayNode(RedisOptions options, TimeProvider timeProvider)
    {
        var wrapped = Options.Create(options);
        Settings = options;
        Connection = new RedisConnection(wrapped, timeProvider, NullLogger<RedisConnection>.Instance);
        Concurrency = new RedisCallerConcurrencyStore(Connection, wrapped, timeProvider, NullLogger<RedisCallerConcurrencyStore>.Instance);
        Quota = new RedisDailyQuotaStore(Connection, wrapped, NullLogger<RedisDailyQuotaStore>.Instance);
        FailoverConcurrency = new FailoverCallerConcurrencyStore(Connection, Concurrency, LocalConcurrency, wrapped);
        FailoverQuota = new FailoverDailyQuotaStore(Connection, Quota, LocalQuota, wrapped);
    }

    public RedisOptions Settings { get; }

    public RedisConnection Connection { get; }

    public RedisCallerConcurrencyStore Concurrency { get; }

    public RedisDailyQuotaStore Quota { get; }

    public InMemoryCallerConcurrencyStore LocalConcurrency { get; } = new();

    public InMemoryDailyQuotaStore LocalQuota { get; } = new();

    public FailoverCallerConcurrencyStore FailoverConcurrency { get; }

    public FailoverDailyQuotaStore FailoverQuota { get; }

    /// <summary>A connected node; short lease TTL and retry interval so tests finish quickly.</summary>
    public static async Task<GatewayNode> ConnectAsync(string configuration, string keyPrefix, Action<RedisOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new RedisOptions
        {
            Configuration = configuration,
            KeyPrefix = keyPrefix,
            LeaseTtl = TimeSpan.FromSeconds(1),
            RetryInterval = TimeSpan.FromMilliseconds(200),
            OperationTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        var node = new GatewayNode(options, timeProvider ?? TimeProvider.System);
        try
        {
            await node.Connection.EnsureConnectedAsync(CancellationToken.None);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh key prefix, so tests sharing a server never see each other's keys.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Stops like a crashed instance: no releases, no more renewals, connection closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Concurrency.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
