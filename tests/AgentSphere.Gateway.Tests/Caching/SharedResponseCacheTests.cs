using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Caching;

/// <summary>Two real gateways sharing the response cache's Redis tier and eviction announcements through a real <c>redis-server</c>.</summary>
public sealed class SharedResponseCacheTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private SimulatorServer _simulator = null!;
    private TestGateway _first = null!;
    private TestGateway _second = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "sim-cache", LatencyScale = 0, Seed = 11 });
        _first = await StartGatewayAsync();
        _second = await StartGatewayAsync();
        await WaitForSharedStateAsync("shared");
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _simulator.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task List_CachedByOneGateway_IsAHitOnTheOther()
    {
        var onFirst = await ResponseCacheTests.ListIdsAsync(_first, "spread-key");
        var onSecond = await ResponseCacheTests.ListIdsAsync(_second, "spread-key");

        Assert.Equal("MISS", onFirst.Cache);
        Assert.Equal("HIT", onSecond.Cache);
        Assert.Equal(1, _simulator.GetRequestCount("list"));
    }

    [Fact]
    public async Task Write_OnOneGateway_EvictsTheListAndSandboxOnTheOther()
    {
        var id = await ResponseCacheTests.CreateSandboxAsync(_first, "fleet-key");
        await ResponseCacheTests.ListIdsAsync(_second, "fleet-key");
        Assert.Equal("HIT", (await ResponseCacheTests.ListIdsAsync(_second, "fleet-key")).Cache);
        await ResponseCacheTests.GetSandboxAsync(_second, "fleet-key", id);
        Assert.Equal("HIT", (await ResponseCacheTests.GetSandboxAsync(_second, "fleet-key", id)).Cache);

        using var delete = await AdmissionTests.SendAsync(_first.Client, HttpMethod.Delete, $"/sandboxes/{id}", "fleet-key");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        // The Redis tier is cleared before the delete's response leaves; the second gateway's memory copies go when the
        // announcement arrives, which the delete's response does not wait for: allow it a moment, no more.
        var listAfter = await Eventually.ReturnsAsync(
            () => ResponseCacheTests.ListIdsAsync(_second, "fleet-key"),
            list => list.Cache == "MISS",
            "the second gateway's list evicted",
            TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(id, listAfter.Ids);
        Assert.Equal((HttpStatusCode.NotFound, "MISS"), await ResponseCacheTests.GetSandboxAsync(_second, "fleet-key", id));
    }

    [Fact]
    public async Task RedisOutage_MemoryTiersKeepServingAndNoRequestFails()
    {
        await ResponseCacheTests.ListIdsAsync(_first, "outage-key");
        await _redis.StopAsync();
        await WaitForSharedStateAsync("local-fallback");

        var statuses = new List<HttpStatusCode>();
        var caches = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            foreach (var gateway in new[] { _first, _second })
            {
                using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "outage-key");
                statuses.Add(response.StatusCode);
                caches.Add(AdmissionTests.Header(response, "X-Cache"));
            }
        }

        using var create = await AdmissionTests.CreateAsync(_first.Client, "outage-key");
        var afterWrite = await ResponseCacheTests.ListIdsAsync(_first, "outage-key");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal("HIT", caches[0]);          // the first gateway's memory copy
        Assert.Equal("HIT", caches[^1]);         // the second gateway filled its own memory tiers
        Assert.Equal("MISS", afterWrite.Cache);  // eviction works locally without Redis
        Assert.Single(afterWrite.Ids);

        // Back: the Redis tier is shared again, without a restart (a list cached by one gateway is a hit on the other).
        await _redis.StartAsync();
        await WaitForSharedStateAsync("shared");
        var probe = 0;
        await Eventually.ReturnsAsync(
            async () =>
            {
                var key = $"recovered-key-{probe++}";
                await ResponseCacheTests.ListIdsAsync(_first, key);
                return (await ResponseCacheTests.ListIdsAsync(_second, key)).Cache;
            },
            cache => cache == "HIT",
            "a list cached by one gateway served by the other after Redis returned");
    }

    private Task<TestGateway> StartGatewayAsync() =>
        TestGateway.StartAsync([_simulator], caching: true, extraArgs: [$"--Redis:Configuration={_redis.ConnectionString}", "--Redis:RetryInterval=00:00:00.500"]);

    private async Task WaitForSharedStateAsync(string state)
    {
        foreach (var gateway in new[] { _first, _second })
        {
            await Eventually.ReturnsAsync(
                () => gateway.Management.GetStringAsync("/healthz"),
                body => JsonDocument.Parse(body).RootElement.GetProperty("sharedState").GetString() == state,
                $"healthz sharedState {state}");
        }
    }
}
