using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Caching;
using AgentSphere.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Gateway.Tests.Caching;

/// <summary>The response cache through a real gateway and a real simulator on loopback, memory tiers only.</summary>
public sealed class ResponseCacheTests
{
    [Fact]
    public async Task List_ReadTwice_SecondIsAHitWithAgeAndTheBackendIsCalledOnce()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);

        using var first = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "hit-key");
        using var second = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "hit-key");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", AdmissionTests.Header(first, "X-Cache"));
        Assert.Equal("0", AdmissionTests.Header(first, "Age"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("HIT", AdmissionTests.Header(second, "X-Cache"));
        Assert.True(int.Parse(AdmissionTests.Header(second, "Age"), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task List_OfTwoCallers_NeverServesOneCallersListToTheOther()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        var created = await CreateSandboxAsync(gateway, "owner-key");

        var ownerFirst = await ListIdsAsync(gateway, "owner-key");
        var strangerFirst = await ListIdsAsync(gateway, "stranger-key");
        var ownerSecond = await ListIdsAsync(gateway, "owner-key");
        var strangerSecond = await ListIdsAsync(gateway, "stranger-key");

        Assert.Equal("MISS", ownerFirst.Cache);
        Assert.Equal([created], ownerFirst.Ids);
        Assert.Equal("MISS", strangerFirst.Cache);
        Assert.Empty(strangerFirst.Ids);
        Assert.Equal("HIT", ownerSecond.Cache);
        Assert.Equal([created], ownerSecond.Ids);
        Assert.Equal("HIT", strangerSecond.Cache);
        Assert.Empty(strangerSecond.Ids);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("delete")]
    [InlineData("timeout")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("connect")]
    public async Task Write_OfEachKind_EvictsTheCallersListsAndTheSandboxsEntries(string write)
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        var id = await CreateSandboxAsync(gateway, "writer-key");
        if (write == "resume")
        {
            using var pause = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{id}/pause", "writer-key");
            Assert.True(pause.IsSuccessStatusCode, $"pause: {(int)pause.StatusCode}");
        }

        // Fill the cache: the list and the sandbox, each read twice so the second is a hit.
        await ListIdsAsync(gateway, "writer-key");
        Assert.Equal("HIT", (await ListIdsAsync(gateway, "writer-key")).Cache);
        await GetSandboxAsync(gateway, "writer-key", id);
        Assert.Equal("HIT", (await GetSandboxAsync(gateway, "writer-key", id)).Cache);
        var listsBefore = gateway.Simulators[0].GetRequestCount("list");

        using var response = write switch
        {
            "create" => await AdmissionTests.CreateAsync(gateway.Client, "writer-key"),
            "delete" => await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Delete, $"/sandboxes/{id}", "writer-key"),
            "timeout" => await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{id}/timeout", "writer-key", """{"timeout":600}"""),
            "pause" => await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{id}/pause", "writer-key"),
            "resume" => await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{id}/resume", "writer-key", """{"timeout":300}"""),
            "connect" => await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{id}/connect", "writer-key", """{"timeout":300}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(write)),
        };
        Assert.True(response.IsSuccessStatusCode, $"{write}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

        var listAfter = await ListIdsAsync(gateway, "writer-key");
        Assert.Equal("MISS", listAfter.Cache);
        Assert.Equal(listsBefore + 1, gateway.Simulators[0].GetRequestCount("list"));
        if (write != "create")
        {
            Assert.Equal("MISS", (await GetSandboxAsync(gateway, "writer-key", id)).Cache);
        }

        if (write == "delete")
        {
            Assert.DoesNotContain(id, listAfter.Ids);
        }
        else if (write == "create")
        {
            Assert.Equal(2, listAfter.Ids.Count);
        }
    }

    [Fact]
    public async Task Hit_WhileTheCallerHoldsAllItsSlots_IsServedAndCarriesNoStaleLimits()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        await ListIdsAsync(gateway, "busy-caller");

        // Five streams hold every one of the caller's slots; a sixth request that needs a backend is refused.
        const string Hold = "/_sim/stream?chunks=1&intervalMs=0&holdMs=4000";
        var holders = Enumerable.Range(0, 5).Select(_ => AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, Hold, "busy-caller")).ToList();
        await Eventually.ReturnsAsync(
            async () => System.Text.Json.JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/status")).RootElement.GetProperty("admission").GetProperty("inService").GetInt32(),
            inService => inService == 5,
            "five held requests in service");

        using var refused = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes/not-cached", "busy-caller");
        using var hit = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "busy-caller");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal("HIT", AdmissionTests.Header(hit, "X-Cache"));
        Assert.False(hit.Headers.Contains("RateLimit"));
        foreach (var holder in holders)
        {
            (await holder).Dispose();
        }
    }

    [Fact]
    public async Task Write_ByAnotherTenant_LeavesThisCallersListCached()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        await ListIdsAsync(gateway, "calm-key");

        using var create = await AdmissionTests.CreateAsync(gateway.Client, "busy-key");

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal("HIT", (await ListIdsAsync(gateway, "calm-key")).Cache);
    }

    [Fact]
    public async Task Request_WithNoCache_IsNotServedFromCacheButRefreshesIt()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        await ListIdsAsync(gateway, "fresh-key");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes");
        request.Headers.Add("X-API-Key", "fresh-key");
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        using var bypass = await gateway.Client.SendAsync(request);

        Assert.Equal("MISS", AdmissionTests.Header(bypass, "X-Cache"));
        Assert.Equal(2, gateway.Simulators[0].GetRequestCount("list"));
        Assert.Equal("HIT", (await ListIdsAsync(gateway, "fresh-key")).Cache);
    }

    [Fact]
    public async Task NotFound_IsNeverCached()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);

        var first = await GetSandboxAsync(gateway, "missing-key", "no-such-sandbox");
        var second = await GetSandboxAsync(gateway, "missing-key", "no-such-sandbox");

        Assert.Equal((HttpStatusCode.NotFound, "MISS"), (first.Status, first.Cache));
        Assert.Equal((HttpStatusCode.NotFound, "MISS"), (second.Status, second.Cache));
        Assert.Equal(2, gateway.Simulators[0].GetRequestCount("connect"));
    }

    [Fact]
    public async Task ConcurrentMisses_ForOneKey_MakeOneBackendCall()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true, extraArgs: ["--Admission:Caller:MaxConcurrency=50"]);
        gateway.Simulators[0].SetFaults(new SimulatorFaults { ExtraLatencyMs = 500 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "burst-key")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("list"));
        Assert.Equal(19, responses.Count(r => AdmissionTests.Header(r, "X-Cache") == "HIT"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Entry_AfterItsTtl_IsFetchedAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(
            caching: true,
            extraArgs: ["--Caching:DefaultTtlSeconds=30"],
            services: s => s.AddKeyedSingleton<TimeProvider>(ResponseCaching.ClockServiceKey, clock));
        await ListIdsAsync(gateway, "ttl-key");

        clock.Advance(TimeSpan.FromSeconds(29));
        var beforeExpiry = await ListIdsAsync(gateway, "ttl-key");
        clock.Advance(TimeSpan.FromSeconds(2));
        var afterExpiry = await ListIdsAsync(gateway, "ttl-key");

        Assert.Equal("HIT", beforeExpiry.Cache);
        Assert.Equal("MISS", afterExpiry.Cache);
        Assert.Equal(2, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Caching_TurnedOffForAnOperation_ProxiesEveryRead()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true, extraArgs: ["--Caching:Operations:list:Enabled=false"]);

        using var first = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "off-key");
        using var second = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "off-key");

        Assert.False(second.Headers.Contains("X-Cache"));
        Assert.Equal(2, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Metrics_AfterAHitAndAMiss_CountThemByOperationAndTier()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        await ListIdsAsync(gateway, "metrics-key");
        await ListIdsAsync(gateway, "metrics-key");

        var text = await gateway.Management.GetStringAsync("/metrics");

        Assert.Contains("agentsphere_gateway_cache_requests_total{operation=\"list\",result=\"hit\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_cache_requests_total{operation=\"list\",result=\"miss\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_cache_tier_hits_total{tier=\"l1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_cache_tier_entries{tier=\"l1\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics-key", text, StringComparison.Ordinal);
    }

    internal static async Task<string> CreateSandboxAsync(TestGateway gateway, string apiKey)
    {
        using var response = await AdmissionTests.CreateAsync(gateway.Client, apiKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sandboxID").GetString()!;
    }

    internal static async Task<(string Cache, List<string> Ids)> ListIdsAsync(TestGateway gateway, string apiKey)
    {
        using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", apiKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("sandboxID").GetString()!)
            .ToList();
        return (AdmissionTests.Header(response, "X-Cache"), ids);
    }

    internal static async Task<(HttpStatusCode Status, string Cache)> GetSandboxAsync(TestGateway gateway, string apiKey, string id)
    {
        using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, $"/sandboxes/{id}", apiKey);
        return (response.StatusCode, AdmissionTests.Header(response, "X-Cache"));
    }
}
