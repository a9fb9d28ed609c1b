using System.Net;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Caching;

/// <summary>Two real gateways sharing the response cache's Redis tier and eviction announcements through a real <c>redis-server</c>.</summary>
public sealed class SharedResponseCacheTests() : RedisGatewayPair("sim-cache", seed: 11, caching: true, "--Redis:RetryInterval=00:00:00.500")
{
    [Fact]
    public async Task List_CachedByOneGateway_IsAHitOnTheOther()
    {
        var onFirst = await ResponseCacheTests.ListIdsAsync(First, "spread-key");
        var onSecond = await ResponseCacheTests.ListIdsAsync(Second, "spread-key");

        Assert.Equal("MISS", onFirst.Cache);
        Assert.Equal("HIT", onSecond.Cache);
        Assert.Equal(1, Simulator.GetRequestCount("list"));
    }

    [Fact]
    public async Task Write_OnOneGateway_EvictsTheListAndSandboxOnTheOther()
    {
        var id = await ResponseCacheTests.CreateSandboxAsync(First, "fleet-key");
        await ResponseCacheTests.ListIdsAsync(Second, "fleet-key");
        Assert.Equal("HIT", (await ResponseCacheTests.ListIdsAsync(Second, "fleet-key")).Cache);
        await ResponseCacheTests.GetSandboxAsync(Second, "fleet-key", id);
        Assert.Equal("HIT", (await ResponseCacheTests.GetSandboxAsync(Second, "fleet-key", id)).Cache);

        using var delete = await AdmissionTests.SendAsync(First.Client, HttpMethod.Delete, $"/sandboxes/{id}", "fleet-key");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        // The Redis tier is cleared before the delete's response leaves; the second gateway's memory copies go when the
        // announcement arrives, which the delete's response does not wait for: allow it a moment, no more.
        var listAfter = await Eventually.ReturnsAsync(
            () => ResponseCacheTests.ListIdsAsync(Second, "fleet-key"),
            list => list.Cache == "MISS",
            "the second gateway's list evicted",
            TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(id, listAfter.Ids);
        Assert.Equal((HttpStatusCode.NotFound, "MISS"), await ResponseCacheTests.GetSandboxAsync(Second, "fleet-key", id));
    }

    [Fact]
    public async Task RedisOutage_MemoryTiersKeepServingAndNoRequestFails()
    {
        await ResponseCacheTests.ListIdsAsync(First, "outage-key");
        await Redis.StopAsync();
        await WaitForSharedStateAsync("local-fallback");

        var statuses = new List<HttpStatusCode>();
        var caches = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            foreach (var gateway in new[] { First, Second })
            {
                using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "outage-key");
                statuses.Add(response.StatusCode);
                caches.Add(AdmissionTests.Header(response, "X-Cache"));
            }
        }

        using var create = await AdmissionTests.CreateAsync(First.Client, "outage-key");
        var afterWrite = await ResponseCacheTests.ListIdsAsync(First, "outage-key");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal("HIT", caches[0]);          // the first gateway's memory copy
        Assert.Equal("HIT", caches[^1]);         // the second gateway filled its own memory tiers
        Assert.Equal("MISS", afterWrite.Cache);  // eviction works locally without Redis
        Assert.Single(afterWrite.Ids);

        // Back: the Redis tier is shared again, without a restart (a list cached by one gateway is a hit on the other).
        await Redis.StartAsync();
        await WaitForSharedStateAsync("shared");
        var probe = 0;
        await Eventually.ReturnsAsync(
            async () =>
            {
                var key = $"recovered-key-{probe++}";
                await ResponseCacheTests.ListIdsAsync(First, key);
                return (await ResponseCacheTests.ListIdsAsync(Second, key)).Cache;
            },
            cache => cache == "HIT",
            "a list cached by one gateway served by the other after Redis returned");
    }
}
