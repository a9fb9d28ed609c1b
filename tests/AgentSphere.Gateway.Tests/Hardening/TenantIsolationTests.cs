using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Caching;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Admission;
using AgentSphere.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>
/// Caller B (another API key) tries to read or exhaust caller A's state through each feature of one real gateway in front of a
/// real simulator, and fails: limits, quota, cache, idempotency records, metrics, status and logs are all keyed by the hashed caller.
/// </summary>
/// <remarks>
/// The simulator keeps each key's sandboxes apart (its team is the key's hash), so a list or get served to B with A's sandbox in it
/// is a leak the body shows. Where the backend would answer both callers alike (end users of one key), the tests plant a marker
/// the gateway cannot know of (a sandbox created at the simulator directly) and count backend calls, so a shared entry would show.
/// </remarks>
public sealed class TenantIsolationTests
{
    /// <summary>Caller A's API key: distinctive, so any copy of it in an output is found.</summary>
    internal const string KeyA = "tenant-a-secret-5d1f0c9e7b3a41f2";

    /// <summary>Caller B's API key.</summary>
    internal const string KeyB = "tenant-b-secret-8e2a6f4d0c1b93e7";

    /// <summary>Caller C's API key.</summary>
    internal const string KeyC = "tenant-c-secret-07c4b1e9a2d6f58d";

    private const string CreateBody = """{"templateID":"base","timeout":300,"metadata":{"userId":"tenant"}}""";

    [Fact]
    public async Task CallerConcurrency_AHoldsAllItsSlots_BIsStillAdmittedWithItsOwnCountAndAsSixthGets429()
    {
        await using var gateway = await TestGateway.StartAsync();
        var simulator = gateway.Simulators[0];
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 3000 });

        var held = Enumerable.Range(0, 5).Select(_ => AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", KeyA)).ToArray();
        await Eventually.TrueAsync(() => simulator.GetLoad().InFlight == 5, "A's five requests in service");

        using var sixth = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", KeyA);
        var fromB = AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", KeyB);

        // B reaches the backend while A still holds all five of its slots.
        await Eventually.TrueAsync(() => simulator.GetLoad().InFlight == 6, "B in service beside A's five");
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("caller-concurrency", JsonDocument.Parse(await sixth.Content.ReadAsStringAsync()).RootElement.GetProperty("policy").GetString());
        using var served = await fromB;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("\"caller-concurrency\";r=4", AdmissionTests.Header(served, "RateLimit"));
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    [Fact]
    public async Task DailyQuota_AExhaustsIt_BStillCreatesWithItsOwnCountAndAGetsTheQuotaProblem()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:DailyQuota:Limit=2"]);

        for (var i = 0; i < 2; i++)
        {
            using var created = await AdmissionTests.CreateAsync(gateway.Client, KeyA);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var fromB = await AdmissionTests.CreateAsync(gateway.Client, KeyB);
        using var refused = await AdmissionTests.CreateAsync(gateway.Client, KeyA);

        Assert.Equal(HttpStatusCode.Created, fromB.StatusCode);
        Assert.Contains("\"daily-quota\";r=1;", AdmissionTests.Header(fromB, "RateLimit"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Equal("daily-quota", JsonDocument.Parse(problem).RootElement.GetProperty("policy").GetString());
        AssertNoApiKey(problem, "A's quota problem");
        Assert.Equal(3, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task CachedList_OfA_IsNeverServedToB_WhoseFirstReadReachesTheBackendAndGetsItsOwnList()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        var simulator = gateway.Simulators[0];
        var idA = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyA);
        await ResponseCacheTests.ListIdsAsync(gateway, KeyA);
        var aCached = await ResponseCacheTests.ListIdsAsync(gateway, KeyA);
        AssertList("HIT", [idA], aCached);
        Assert.Equal(1, simulator.GetRequestCount("list"));

        var bFirst = await ResponseCacheTests.ListIdsAsync(gateway, KeyB);
        var idB = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyB);
        var bAfterCreate = await ResponseCacheTests.ListIdsAsync(gateway, KeyB);
        var aAgain = await ResponseCacheTests.ListIdsAsync(gateway, KeyA);

        Assert.Equal("MISS", bFirst.Cache);
        Assert.Empty(bFirst.Ids);
        AssertList("MISS", [idB], bAfterCreate);
        AssertList("HIT", [idA], aAgain);
        Assert.Equal(3, simulator.GetRequestCount("list"));
    }

    [Fact]
    public async Task CachedSandbox_OfA_IsNeverServedToB_WhoGetsTheBackends404()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        var simulator = gateway.Simulators[0];
        var idA = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyA);
        Assert.Equal((HttpStatusCode.OK, "MISS"), await ResponseCacheTests.GetSandboxAsync(gateway, KeyA, idA));
        Assert.Equal((HttpStatusCode.OK, "HIT"), await ResponseCacheTests.GetSandboxAsync(gateway, KeyA, idA));
        var backendReads = simulator.GetRequestCount("connect");

        using var fromB = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, $"/sandboxes/{idA}", KeyB);
        var bodyB = await fromB.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, fromB.StatusCode);
        Assert.Equal("MISS", AdmissionTests.Header(fromB, "X-Cache"));
        Assert.DoesNotContain("envdAccessToken", bodyB, StringComparison.Ordinal);
        Assert.Equal(backendReads + 1, simulator.GetRequestCount("connect"));
        Assert.Equal((HttpStatusCode.OK, "HIT"), await ResponseCacheTests.GetSandboxAsync(gateway, KeyA, idA));
    }

    [Fact]
    public async Task CachedList_OfOneEndUser_IsNeverServedToAnotherEndUserOfTheSameKey()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true, extraArgs: ["--Admission:Caller:EndUserHeader=X-End-User"]);
        var simulator = gateway.Simulators[0];
        var alice = await ListAsEndUserAsync(gateway, "alice");
        Assert.Equal("HIT", (await ListAsEndUserAsync(gateway, "alice")).Cache);

        // The backend answers both end users of the key alike; a sandbox the gateway never saw created marks a fresh answer,
        // and alice's cached list (from before it) does not have it.
        var marker = await CreateAtTheBackendAsync(simulator, KeyA);
        var bob = await ListAsEndUserAsync(gateway, "bob");
        var aliceAgain = await ListAsEndUserAsync(gateway, "alice");
        var bobAgain = await ListAsEndUserAsync(gateway, "bob");

        Assert.Equal("MISS", alice.Cache);
        Assert.Equal("MISS", bob.Cache);
        Assert.Contains(marker, bob.Ids);
        Assert.Equal(2, simulator.GetRequestCount("list"));
        AssertList("HIT", alice.Ids, aliceAgain);
        Assert.DoesNotContain(marker, aliceAgain.Ids);
        AssertList("HIT", bob.Ids, bobAgain);
    }

    [Fact]
    public async Task Writes_ByB_NeitherEvictAsListsNorChangeWhatAReads()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        var idA = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyA);
        await ResponseCacheTests.ListIdsAsync(gateway, KeyA);
        Assert.Equal("HIT", (await ResponseCacheTests.ListIdsAsync(gateway, KeyA)).Cache);

        // B creates its own sandbox and tries to delete and pause A's: the backend refuses what is not B's.
        var idB = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyB);
        using var delete = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Delete, $"/sandboxes/{idA}", KeyB);
        using var pause = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{idA}/pause", KeyB);
        var aList = await ResponseCacheTests.ListIdsAsync(gateway, KeyA);
        using var aGet = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, $"/sandboxes/{idA}", KeyA);
        var bList = await ResponseCacheTests.ListIdsAsync(gateway, KeyB);

        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pause.StatusCode);
        AssertList("HIT", [idA], aList);
        Assert.Equal(HttpStatusCode.OK, aGet.StatusCode);
        var sandbox = JsonDocument.Parse(await aGet.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(idA, sandbox.GetProperty("sandboxID").GetString());
        Assert.Equal("running", sandbox.GetProperty("state").GetString());
        Assert.Equal([idB], bList.Ids);
    }

    [Fact]
    public async Task RefusedWrites_ByBWithAsSandboxId_DoNotEvictAsCachedSandbox()
    {
        await using var gateway = await TestGateway.StartAsync(caching: true);
        var idA = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyA);
        using (await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, $"/sandboxes/{idA}", KeyA))
        {
        }

        using var delete = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Delete, $"/sandboxes/{idA}", KeyB);
        using var pause = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Post, $"/sandboxes/{idA}/pause", KeyB);
        using var aGet = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, $"/sandboxes/{idA}", KeyA);

        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pause.StatusCode);
        Assert.Equal("HIT", AdmissionTests.Header(aGet, "X-Cache"));
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("connect"));
    }

    [Fact]
    public async Task IdempotencyKey_OfA_ReusedByOthersWithTheSameOrAnotherBody_IsEachOnesOwnCreate()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var fromA = await CreateWithKeyAsync(gateway, KeyA, "shared-idem-key", CreateBody);
        using var sameBody = await CreateWithKeyAsync(gateway, KeyB, "shared-idem-key", CreateBody);
        using var otherBody = await CreateWithKeyAsync(gateway, KeyC, "shared-idem-key", CreateBody.Replace("tenant", "other", StringComparison.Ordinal));
        using var bRepeats = await CreateWithKeyAsync(gateway, KeyB, "shared-idem-key", CreateBody);

        Assert.Equal(HttpStatusCode.Created, fromA.StatusCode);
        var idA = SandboxId(await fromA.Content.ReadAsStringAsync());
        foreach (var response in new[] { sameBody, otherBody })
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.False(response.Headers.Contains("Idempotent-Replayed"));
            Assert.DoesNotContain(idA, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // B's own record answers B's repeat: the key is B's as much as A's, and neither sees the other's.
        Assert.Equal(HttpStatusCode.Created, bRepeats.StatusCode);
        Assert.Equal("true", AdmissionTests.Header(bRepeats, "Idempotent-Replayed"));
        Assert.Equal(SandboxId(await sameBody.Content.ReadAsStringAsync()), SandboxId(await bRepeats.Content.ReadAsStringAsync()));
        Assert.Equal(3, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task IdempotencyKey_OfARunningCreate_ReusedByB_NeitherWaitsForNorGetsAsResponse()
    {
        await using var gateway = await TestGateway.StartAsync();
        var simulator = gateway.Simulators[0];
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 3000 });

        var fromA = CreateWithKeyAsync(gateway, KeyA, "running-idem-key", CreateBody);
        await Eventually.TrueAsync(() => simulator.GetRequestCount("deploy") == 1, "A's create at the backend");
        using var fromB = await CreateWithKeyAsync(gateway, KeyB, "running-idem-key", CreateBody);
        using var responseA = await fromA;

        Assert.Equal(HttpStatusCode.Created, fromB.StatusCode);
        Assert.False(fromB.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, responseA.StatusCode);
        Assert.NotEqual(SandboxId(await responseA.Content.ReadAsStringAsync()), SandboxId(await fromB.Content.ReadAsStringAsync()));
        Assert.Equal(2, simulator.GetRequestCount("deploy"));
    }

    [Fact]
    public async Task MetricsStatusDashboardAndLogs_AfterTrafficOfSeveralCallers_NeverContainAnApiKey()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(
            caching: true,
            extraArgs:
            [
                "--Admission:DailyQuota:Limit=1",
                "--Admission:Caller:EndUserHeader=X-End-User",
                "--Logging:LogLevel:Default=Trace",
                "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
                "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Trace",
                "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Trace",
                "--Logging:LogLevel:Yarp=Trace",
            ],
            services: s => s.AddSingleton<ILoggerProvider>(logs));

        // Every feature sees the keys: lists and hits, gets and 404s, creates, a quota rejection, idempotent creates and replays,
        // end users, a bad idempotency key, a write refused by the backend, and a request without a key.
        var idA = await ResponseCacheTests.CreateSandboxAsync(gateway, KeyA);
        (await AdmissionTests.CreateAsync(gateway.Client, KeyA)).Dispose();
        await ResponseCacheTests.ListIdsAsync(gateway, KeyA);
        await ResponseCacheTests.ListIdsAsync(gateway, KeyA);
        await ResponseCacheTests.GetSandboxAsync(gateway, KeyA, idA);
        await ResponseCacheTests.GetSandboxAsync(gateway, KeyB, idA);
        (await CreateWithKeyAsync(gateway, KeyB, "idem-1", CreateBody)).Dispose();
        (await CreateWithKeyAsync(gateway, KeyB, "idem-1", CreateBody)).Dispose();
        (await CreateWithKeyAsync(gateway, KeyB, "idem-1", CreateBody.Replace("tenant", "other", StringComparison.Ordinal))).Dispose();
        (await CreateWithKeyAsync(gateway, KeyB, new string('x', 300), CreateBody)).Dispose();
        await ListAsEndUserAsync(gateway, "alice");
        (await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Delete, $"/sandboxes/{idA}", KeyC)).Dispose();
        (await gateway.Client.GetAsync("/sandboxes")).Dispose();

        var outputs = new Dictionary<string, string>();
        foreach (var path in new[] { "/metrics", "/admin/status", "/admin/alerts", "/admin/backends", "/admin/capacity", "/healthz", "/readyz", "/dashboard", "/dashboard/dashboard.js" })
        {
            using var response = await gateway.Management.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            outputs[path] = await response.Content.ReadAsStringAsync();
        }

        foreach (var (path, text) in outputs)
        {
            AssertNoApiKey(text, path);
        }

        AssertPerCallerLabelsAreHashes(outputs["/metrics"]);
        Assert.Contains("\"operations\"", outputs["/admin/status"], StringComparison.Ordinal);

        // The quota rejection is logged with A's caller id: proof the logs were captured, and that they name callers by hash.
        var entries = logs.Entries.ToArray();
        Assert.Contains(entries, e => e.Contains(CallerIdentity.Compute(KeyA), StringComparison.Ordinal));
        foreach (var entry in entries)
        {
            AssertNoApiKey(entry, "a log entry");
        }
    }

    private static void AssertList(string cache, IEnumerable<string> ids, (string Cache, List<string> Ids) actual)
    {
        Assert.Equal(cache, actual.Cache);
        Assert.Equal(ids, actual.Ids);
    }

    /// <summary>Fails when <paramref name="text"/> holds any of the test callers' API keys.</summary>
    internal static void AssertNoApiKey(string text, string where)
    {
        foreach (var key in new[] { KeyA, KeyB, KeyC })
        {
            if (text.Contains(key, StringComparison.OrdinalIgnoreCase))
            {
                throw new Xunit.Sdk.XunitException($"{where} contains an API key: {text}");
            }
        }
    }

    /// <summary>Fails when a Prometheus label that names a caller, tenant, user or key carries anything but a caller-id hash.</summary>
    private static void AssertPerCallerLabelsAreHashes(string metrics)
    {
        foreach (Match label in Regex.Matches(metrics, "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\""))
        {
            var name = label.Groups[1].Value;
            if (Regex.IsMatch(name, "caller|tenant|user|key|client", RegexOptions.IgnoreCase))
            {
                Assert.Matches("^[0-9a-f]{32}$", label.Groups[2].Value);
            }
        }
    }

    internal static Task<HttpResponseMessage> CreateWithKeyAsync(TestGateway gateway, string apiKey, string idempotencyKey, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/sandboxes") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", apiKey);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return gateway.Client.SendAsync(request);
    }

    internal static string SandboxId(string json) => JsonDocument.Parse(json).RootElement.GetProperty("sandboxID").GetString()!;

    /// <summary>Creates a sandbox at the simulator itself, past the gateway, which therefore evicts nothing.</summary>
    internal static async Task<string> CreateAtTheBackendAsync(SimulatorServer simulator, string apiKey)
    {
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        using var response = await AdmissionTests.CreateAsync(client, apiKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return SandboxId(await response.Content.ReadAsStringAsync());
    }

    internal static async Task<(string Cache, List<string> Ids)> ListAsEndUserAsync(TestGateway gateway, string endUser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes");
        request.Headers.Add("X-API-Key", KeyA);
        request.Headers.Add("X-End-User", endUser);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("sandboxID").GetString()!)
            .ToList();
        return (AdmissionTests.Header(response, "X-Cache"), ids);
    }
}
