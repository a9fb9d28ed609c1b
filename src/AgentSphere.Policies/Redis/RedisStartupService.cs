using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Redis;

/// <summary>Starts connecting to Redis when the host starts, and stops start-up when <see cref="RedisOptions.Required"/> is true and Redis cannot be reached.</summary>
internal sealed class RedisStartupService(RedisConnection connection, IOptions<RedisOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.Required ? connection.EnsureConnectedAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
