using System.Net;
using System.Net.Sockets;
using AgentSphere.Policies.Redis;
using AgentSphere.Policies.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AgentSphere.Policies.Tests.Redis;

public sealed class RedisConnectionTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task TryGetDatabase_AfterReportedFailure_BacksOffForRetryInterval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await GatewayNode.ConnectAsync(fixture.Server.ConnectionString, GatewayNode.NewPrefix(), o => o.RetryInterval = TimeSpan.FromSeconds(2), clock);
        var changes = new List<RedisState>();
        node.Connection.StateChanged += changes.Add;
        var before = node.Connection.TryGetDatabase(out _);

        node.Connection.ReportFailure(new RedisTimeoutException("simulated", CommandStatus.Sent));
        var duringBackoff = node.Connection.TryGetDatabase(out _);
        var stateDuringBackoff = node.Connection.State;
        clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        var justBeforeEnd = node.Connection.IsAvailable;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = node.Connection.TryGetDatabase(out var database);

        Assert.True(before);
        Assert.False(duringBackoff);
        Assert.Equal(RedisState.Unavailable, stateDuringBackoff);
        Assert.False(justBeforeEnd);
        Assert.True(after);
        Assert.NotNull(database);
        Assert.Equal(RedisState.Connected, node.Connection.State);
        Assert.Equal(new[] { RedisState.Unavailable, RedisState.Connected }, changes);
    }

    [Fact]
    public async Task ReportFailure_RepeatedWhileUnavailable_LogsOncePerTransition()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new CollectingLogger<RedisConnection>();
        var options = Options.Create(new RedisOptions { Configuration = fixture.Server.ConnectionString });
        await using var connection = new RedisConnection(options, clock, logger);
        await connection.EnsureConnectedAsync(CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            connection.ReportFailure(new RedisConnectionException(ConnectionFailureType.SocketFailure, "simulated"));
        }

        Assert.Single(logger.Entries, e => e.EventId.Id == RedisEventIds.Unavailable);
    }

    [Fact]
    public async Task State_WithoutConfiguration_IsNotConfiguredAndNeverAvailable()
    {
        await using var connection = new RedisConnection(Options.Create(new RedisOptions()), TimeProvider.System, NullLogger<RedisConnection>.Instance);

        await connection.EnsureConnectedAsync(CancellationToken.None);

        Assert.Equal(RedisState.NotConfigured, connection.State);
        Assert.False(connection.TryGetDatabase(out _));
        Assert.False(connection.IsAvailable);
    }

    [Fact]
    public async Task EnsureConnectedAsync_Unreachable_ThrowsNamingHostWithoutPassword()
    {
        const string Password = "s3cret-redis-password";
        var port = UnusedLoopbackPort();
        var logger = new CollectingLogger<RedisConnection>();
        var options = Options.Create(new RedisOptions { Configuration = $"127.0.0.1:{port},password={Password}", Required = true });
        await using var connection = new RedisConnection(options, TimeProvider.System, logger);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => connection.EnsureConnectedAsync(CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Redis:Required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(RedisState.Unavailable, connection.State);
        Assert.False(connection.IsAvailable);
        Assert.NotEmpty(logger.Entries);
        Assert.All(logger.Entries, e => Assert.DoesNotContain(Password, e.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Constructor_RedisConfigured_DoesNotBlockOnConnecting()
    {
        var options = Options.Create(new RedisOptions { Configuration = $"127.0.0.1:{UnusedLoopbackPort()}" });

        await using var connection = new RedisConnection(options, TimeProvider.System, NullLogger<RedisConnection>.Instance);

        Assert.Equal(RedisState.Unavailable, connection.State);
        Assert.False(connection.TryGetDatabase(out _));
        Assert.Matches("^[0-9a-f]{16}$", connection.InstanceId);
    }

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
