using System.Net;
using System.Text;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Caching;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Admission;
using AgentSphere.Simulator;
using StackExchange.Redis;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>
/// Caller B tries to read or exhaust caller A's shared state through two real gateways that share a real <c>redis-server</c>
/// (limits, quotas, the cache's Redis tier and idempotency records), and fails; and no API key ever reaches Redis.
/// </summary>
public sealed class SharedTenantIsolationTests() : RedisGatewayPair(
    "sim-tenants",
    seed: 21,
    caching: true,
    "--Admission:DailyQuota:Limit=2",
    "--Admission:Caller:EndUserHeader=X-End-User")
{
    private const string KeyA = TenantIsolationTests.KeyA;
    private const string KeyB = TenantIsolationTests.KeyB;
    private const string KeyC = TenantIsolationTests.KeyC;
    private const string CreateBody = """{"templateID":"base","timeout":300,"metadata":{"userId":"shared-tenant"}}""";

    [Fact]
    public async Task CallerLimits_AExhaustsItsQuotaAndSlotsAcrossBothGateways_BIsAdmittedOnEach()
    {
        // Quota: A's two creates, one per gateway, use up A's shared count; B's count is its own.
        (await AdmissionTests.CreateAsync(First.Client, KeyA)).Dispose();
        (await AdmissionTests.CreateAsync(Second.Client, KeyA)).Dispose();
        using var aRefused = await AdmissionTests.CreateAsync(First.Client, KeyA);
        using var bCreated = await AdmissionTests.CreateAsync(Second.Client, KeyB);

        Assert.Equal(HttpStatusCode.TooManyRequests, aRefused.StatusCode);
        Assert.Equal("daily-quota", JsonDocument.Parse(await aRefused.Content.ReadAsStringAsync()).RootElement.GetProperty("policy").GetString());
        Assert.Equal(HttpStatusCode.Created, bCreated.StatusCode);
        Assert.Contains("\"daily-quota\";r=1;", AdmissionTests.Header(bCreated, "RateLimit"), StringComparison.Ordinal);

        // Concurrency: A's five slow reads (distinct queries, so the cache cannot fold them into one) hold all of A's slots.
        Simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 3000 });
        var held = Enumerable.Range(0, 5)
            .Select(i => AdmissionTests.SendAsync((i % 2 == 0 ? First : Second).Client, HttpMethod.Get, $"/sandboxes?metadata=slot%3D{i}", KeyA))
            .ToArray();
        await Eventually.TrueAsync(() => Simulator.GetLoad().InFlight == 5, "A's five requests in service");
        using var aSixth = await AdmissionTests.SendAsync(Second.Client, HttpMethod.Get, "/sandboxes?metadata=slot%3D6", KeyA);
        var bOnFirst = AdmissionTests.SendAsync(First.Client, HttpMethod.Get, "/sandboxes?metadata=slot%3D7", KeyB);
        var bOnSecond = AdmissionTests.SendAsync(Second.Client, HttpMethod.Get, "/sandboxes?metadata=slot%3D8", KeyB);
        await Eventually.TrueAsync(() => Simulator.GetLoad().InFlight == 7, "B's two requests in service beside A's five");

        Assert.Equal(HttpStatusCode.TooManyRequests, aSixth.StatusCode);
        Assert.Equal("caller-concurrency", JsonDocument.Parse(await aSixth.Content.ReadAsStringAsync()).RootElement.GetProperty("policy").GetString());
        foreach (var response in await Task.WhenAll([.. held, bOnFirst, bOnSecond]))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    [Fact]
    public async Task CachedEntries_OfAOnOneGateway_AreNeverServedToBOrAnotherEndUserOnTheOther()
    {
        var idA = await ResponseCacheTests.CreateSandboxAsync(First, KeyA);
        await ResponseCacheTests.ListIdsAsync(First, KeyA);
        Assert.Equal("HIT", (await ResponseCacheTests.ListIdsAsync(Second, KeyA)).Cache);
        await ResponseCacheTests.GetSandboxAsync(First, KeyA, idA);
        Assert.Equal((HttpStatusCode.OK, "HIT"), await ResponseCacheTests.GetSandboxAsync(Second, KeyA, idA));
        var lists = Simulator.GetRequestCount("list");
        var gets = Simulator.GetRequestCount("connect");

        var bList = await ResponseCacheTests.ListIdsAsync(Second, KeyB);
        var bGet = await ResponseCacheTests.GetSandboxAsync(Second, KeyB, idA);
        var idB = await ResponseCacheTests.CreateSandboxAsync(Second, KeyB);
        var aListAfterB = await ResponseCacheTests.ListIdsAsync(First, KeyA);

        Assert.Equal("MISS", bList.Cache);
        Assert.Empty(bList.Ids);
        Assert.Equal(lists + 1, Simulator.GetRequestCount("list"));
        Assert.Equal((HttpStatusCode.NotFound, "MISS"), bGet);
        Assert.Equal(gets + 1, Simulator.GetRequestCount("connect"));
        Assert.NotEqual(idA, idB);
        Assert.Equal("HIT", aListAfterB.Cache);
        Assert.Equal([idA], aListAfterB.Ids);

        // End users of A's key: alice's list is cached through the first gateway; a sandbox created at the backend behind the
        // gateways' backs marks a fresh answer, which bob must get through the second.
        var alice = await TenantIsolationTests.ListAsEndUserAsync(First, "alice");
        Assert.Equal("HIT", (await TenantIsolationTests.ListAsEndUserAsync(Second, "alice")).Cache);
        var marker = await TenantIsolationTests.CreateAtTheBackendAsync(Simulator, KeyA);
        var bob = await TenantIsolationTests.ListAsEndUserAsync(Second, "bob");

        Assert.Equal("MISS", alice.Cache);
        Assert.DoesNotContain(marker, alice.Ids);
        Assert.Equal("MISS", bob.Cache);
        Assert.Contains(marker, bob.Ids);
    }

    [Fact]
    public async Task IdempotencyKey_OfAOnOneGateway_ReusedByOthersOnTheOther_IsEachOnesOwnCreate()
    {
        // While A's create runs on the first gateway, B sends the same key and body through the second.
        Simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 3000 });
        var fromA = TenantIsolationTests.CreateWithKeyAsync(First, KeyA, "fleet-idem-key", CreateBody);
        await Eventually.TrueAsync(() => Simulator.GetRequestCount("deploy") == 1, "A's create at the backend");
        using var fromB = await TenantIsolationTests.CreateWithKeyAsync(Second, KeyB, "fleet-idem-key", CreateBody);
        using var responseA = await fromA;
        Simulator.ClearFaults();
        using var fromC = await TenantIsolationTests.CreateWithKeyAsync(Second, KeyC, "fleet-idem-key", CreateBody.Replace("shared-tenant", "other", StringComparison.Ordinal));
        using var aRepeats = await TenantIsolationTests.CreateWithKeyAsync(Second, KeyA, "fleet-idem-key", CreateBody);

        Assert.Equal(HttpStatusCode.Created, responseA.StatusCode);
        var idA = TenantIsolationTests.SandboxId(await responseA.Content.ReadAsStringAsync());
        foreach (var response in new[] { fromB, fromC })
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.False(response.Headers.Contains("Idempotent-Replayed"));
            Assert.DoesNotContain(idA, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A's record is shared by both gateways, and is A's alone.
        Assert.Equal("true", AdmissionTests.Header(aRepeats, "Idempotent-Replayed"));
        Assert.Equal(idA, TenantIsolationTests.SandboxId(await aRepeats.Content.ReadAsStringAsync()));
        Assert.Equal(3, Simulator.GetRequestCount("deploy"));
    }

    [Fact]
    public async Task RedisKeysAndValues_AfterTrafficThroughBothGateways_NeverContainAnApiKey()
    {
        // Traffic that leaves every kind of shared state: cache entries and tags, quota counts, leases, idempotency records.
        foreach (var (gateway, key) in new[] { (First, KeyA), (Second, KeyB), (Second, KeyA), (First, KeyC) })
        {
            var id = await ResponseCacheTests.CreateSandboxAsync(gateway, key);
            await ResponseCacheTests.ListIdsAsync(gateway, key);
            await ResponseCacheTests.GetSandboxAsync(gateway, key, id);
            await TenantIsolationTests.ListAsEndUserAsync(gateway, "carol");
        }

        (await TenantIsolationTests.CreateWithKeyAsync(First, KeyB, "scan-idem-key", CreateBody)).Dispose();
        (await TenantIsolationTests.CreateWithKeyAsync(Second, KeyB, "scan-idem-key", CreateBody)).Dispose();
        (await AdmissionTests.CreateAsync(Second.Client, KeyA)).Dispose();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        var database = redis.GetDatabase();
        var keys = new List<string>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: "*", pageSize: 100))
        {
            keys.Add(key.ToString());
            TenantIsolationTests.AssertNoApiKey(key.ToString(), "a Redis key");
            TenantIsolationTests.AssertNoApiKey(await ReadValueAsync(database, key), $"the value of Redis key {key}");
        }

        // The scan saw each kind of state, keyed by the callers' hashes.
        var callerA = CallerIdentity.Compute(KeyA);
        Assert.Contains(keys, k => k.Contains(":quota:" + callerA, StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains(":idem:" + CallerIdentity.Compute(KeyB), StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains(":oc:tag:lists:" + CallerIdentity.Compute(KeyC), StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains(":oc:", StringComparison.Ordinal) && !k.Contains(":tag:", StringComparison.Ordinal));
    }

    /// <summary>Every string, hash, set, sorted-set and list value of <paramref name="key"/>, as Latin-1 text so binary values are searched byte by byte.</summary>
    private static async Task<string> ReadValueAsync(IDatabase database, RedisKey key)
    {
        static string Text(RedisValue value) => value.IsNull ? string.Empty : Encoding.Latin1.GetString((byte[])value!);

        var type = await database.KeyTypeAsync(key);
        return type switch
        {
            RedisType.String => Text(await database.StringGetAsync(key)),
            RedisType.Hash => string.Join("\n", (await database.HashGetAllAsync(key)).Select(e => Text(e.Name) + "=" + Text(e.Value))),
            RedisType.Set => string.Join("\n", (await database.SetMembersAsync(key)).Select(Text)),
            RedisType.SortedSet => string.Join("\n", (await database.SortedSetRangeByRankAsync(key)).Select(Text)),
            RedisType.List => string.Join("\n", (await database.ListRangeAsync(key)).Select(Text)),
            RedisType.None => string.Empty,
            _ => throw new Xunit.Sdk.XunitException($"Redis key {key} has a type the scan does not read: {type}"),
        };
    }
}
