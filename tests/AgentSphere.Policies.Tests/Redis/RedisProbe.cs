using StackExchange.Redis;

namespace AgentSphere.Policies.Tests.Redis;

/// <summary>A plain connection for looking at what the stores wrote, independent of the code under test.</summary>
internal sealed class RedisProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    private RedisProbe(ConnectionMultiplexer multiplexer) => _multiplexer = multiplexer;

    public IDatabase Database => _multiplexer.GetDatabase();

    public static async Task<RedisProbe> ConnectAsync(string configuration) =>
        new(await ConnectionMultiplexer.ConnectAsync(configuration + ",abortConnect=false"));

    /// <summary>Every key in the server's database 0.</summary>
    public async Task<List<string>> AllKeysAsync()
    {
        var keys = new List<string>();
        await foreach (var key in _multiplexer.GetServers()[0].KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    /// <summary>The server's clock in Unix milliseconds, the clock lease expiries are scored by.</summary>
    public async Task<long> ServerTimeMsAsync()
    {
        var time = await _multiplexer.GetServers()[0].TimeAsync();
        return new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();
}
