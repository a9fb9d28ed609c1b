using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Admission;
using AgentSphere.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSphere.Gateway.Tests.Admission;

/// <summary>Admission through a real gateway and a real simulator on loopback, with local (in-memory) limits.</summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Request_WithoutApiKey_Gets401ProblemAndNeverReachesABackend()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync("/sandboxes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("X-API-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Health_WithoutApiKey_IsAnonymousByDefault()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync("/health");

        Assert.True(response.IsSuccessStatusCode, $"got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AdmittedResponse_CarriesRateLimitHeadersForTheCallerAndTheQuota()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var list = await SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "headers-key");
        using var create = await CreateAsync(gateway.Client, "headers-key");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("\"caller-concurrency\";q=5;qu=\"concurrent-requests\"", Header(list, "RateLimit-Policy"));
        Assert.Equal("\"caller-concurrency\";r=4", Header(list, "RateLimit"));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal("\"caller-concurrency\";q=5;qu=\"concurrent-requests\", \"daily-quota\";q=100;w=86400", Header(create, "RateLimit-Policy"));
        Assert.StartsWith("\"caller-concurrency\";r=4, \"daily-quota\";r=99;t=", Header(create, "RateLimit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentRequests_OfOneCaller_SixthGets429NamingThePolicyWhileOthersAreServed()
    {
        await using var gateway = await TestGateway.StartAsync();
        var simulator = gateway.Simulators[0];
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 1500 });

        // Five slow requests hold the caller's five slots; wait until the backend has them all.
        var held = Enumerable.Range(0, 5).Select(_ => SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "busy-key")).ToArray();
        await Eventually.TrueAsync(() => simulator.GetLoad().InFlight == 5, "five requests in service");

        using var sixth = await SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "busy-key");
        var otherCaller = SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "idle-key");

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("1", Header(sixth, "Retry-After"));
        Assert.Equal("\"caller-concurrency\";q=5;qu=\"concurrent-requests\"", Header(sixth, "RateLimit-Policy"));
        Assert.Equal("\"caller-concurrency\";r=0;t=1", Header(sixth, "RateLimit"));
        var problem = JsonDocument.Parse(await sixth.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("application/problem+json", sixth.Content.Headers.ContentType?.MediaType);
        Assert.Equal("caller-concurrency", problem.GetProperty("policy").GetString());
        Assert.Equal(5, problem.GetProperty("limit").GetInt32());
        Assert.DoesNotContain("busy-key", await sixth.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var served = await otherCaller;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    [Fact]
    public async Task Create_BeyondTheDailyQuota_Gets429WithRetryAfterUntilTheReset()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:DailyQuota:Limit=3"]);

        for (var i = 0; i < 3; i++)
        {
            using var created = await CreateAsync(gateway.Client, "quota-key");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var refused = await CreateAsync(gateway.Client, "quota-key");
        using var list = await SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "quota-key");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = long.Parse(Header(refused, "Retry-After"), System.Globalization.CultureInfo.InvariantCulture);
        var untilMidnight = (DateTimeOffset.UtcNow.Date.AddDays(1) - DateTimeOffset.UtcNow.UtcDateTime).TotalSeconds;
        Assert.InRange(retryAfter, untilMidnight - 60, untilMidnight + 60);
        Assert.Equal("\"daily-quota\";q=3;w=86400", Header(refused, "RateLimit-Policy"));
        Assert.Equal("daily-quota", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("policy").GetString());
        Assert.Equal(3, gateway.Simulators[0].GetRequestCount("deploy"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode); // lists do not count
    }

    [Fact]
    public async Task Create_RefusedByTheBackend_DoesNotUseQuota()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:DailyQuota:Limit=1"]);

        using (var invalid = await SendAsync(gateway.Client, HttpMethod.Post, "/sandboxes", "refund-key", """{"templateID":"base","timeout":999999999}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        using var valid = await CreateAsync(gateway.Client, "refund-key");
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task GlobalLimit_ClientLeavesWhileWaiting_FreesItsPlaceAtOnce()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:Global:MaxConcurrency=1"]);
        var simulator = gateway.Simulators[0];
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 1500 });
        var controller = gateway.Instance.App.Services.GetRequiredService<IAdmissionController>();

        var holder = SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "holder-key");
        await Eventually.TrueAsync(() => controller.Snapshot().InService == 1, "the first request in service");
        using var leaving = new CancellationTokenSource();
        var waiter = SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "waiter-key", cancellationToken: leaving.Token);
        await Eventually.TrueAsync(() => controller.Snapshot().Waiting.Sum() == 1, "the second request waiting");

        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        await Eventually.TrueAsync(() => controller.Snapshot().Waiting.Sum() == 0, "the waiting place freed");
        Assert.Equal(1, controller.Snapshot().InService);
        using var held = await holder;
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal(1, simulator.GetRequestCount("list"));
    }

    [Fact]
    public async Task GlobalLimit_UnderContention_AdmitsWaitersByPriorityThenAge()
    {
        // One global slot; a trusted caller sets each waiting request's priority with the priority header.
        var trusted = CallerIdentity.Compute("ops-key");
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Admission:Global:MaxConcurrency=1",
            "--Admission:Caller:MaxConcurrency=100",
            $"--Admission:Priorities:TrustedCallers:0={trusted}",
        ]);
        var simulator = gateway.Simulators[0];
        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 100 });
        var controller = gateway.Instance.App.Services.GetRequiredService<IAdmissionController>();
        var completed = new System.Collections.Concurrent.ConcurrentQueue<string>();

        // The holder keeps the only slot until the backend finishes its held-open stream; the waiters then run one by one.
        var holder = SendAsync(gateway.Client, HttpMethod.Get, HoldPath, "ops-key");
        await Eventually.TrueAsync(() => controller.Snapshot().InService == 1, "the holder in service");
        string[] arrivals = ["low-1", "normal-1", "critical-1", "low-2", "high-1", "normal-2"];
        var waiters = new List<Task>();
        foreach (var name in arrivals)
        {
            var priority = name[..name.IndexOf('-', StringComparison.Ordinal)];
            waiters.Add(Track(name, priority));
            var queued = waiters.Count;
            await Eventually.TrueAsync(() => controller.Snapshot().Waiting.Sum() == queued, $"{name} waiting");
        }

        (await holder).Dispose();
        await Task.WhenAll(waiters);

        Assert.Equal(["critical-1", "high-1", "normal-1", "normal-2", "low-1", "low-2"], completed.ToArray());

        async Task Track(string name, string priority)
        {
            using var response = await SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "ops-key", priority: priority);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            completed.Enqueue(name);
        }
    }

    [Fact]
    public async Task PriorityHeader_FromAnUntrustedCaller_IsIgnored()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:Global:MaxConcurrency=1"]);
        var controller = gateway.Instance.App.Services.GetRequiredService<IAdmissionController>();

        var holder = SendAsync(gateway.Client, HttpMethod.Get, HoldPath, "a-key");
        await Eventually.TrueAsync(() => controller.Snapshot().InService == 1, "the holder in service");
        var pretender = SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "b-key", priority: "critical");

        await Eventually.TrueAsync(() => controller.Snapshot().Waiting[(int)RequestPriority.Low] == 1, "the pretender waiting at its list priority");
        (await holder).Dispose();
        (await pretender).Dispose();
    }

    [Fact]
    public async Task Admission_Disabled_StillRequiresAKeyButLimitsNothing()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:Enabled=false"]);

        using var anonymous = await gateway.Client.GetAsync("/sandboxes");
        using var keyed = await SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "k");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.False(keyed.Headers.Contains("RateLimit"));
    }

    [Fact]
    public async Task Metrics_AfterAdmissionsAndRejections_CountThemByOperationAndPolicyWithoutKeys()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:DailyQuota:Limit=1"]);
        (await CreateAsync(gateway.Client, "metrics-secret-key")).Dispose();
        (await CreateAsync(gateway.Client, "metrics-secret-key")).Dispose();
        (await gateway.Client.GetAsync("/sandboxes")).Dispose();

        var metrics = await gateway.Management.GetStringAsync("/metrics");

        Assert.Contains("agentsphere_gateway_admission_decisions_total{operation=\"deploy\",outcome=\"admitted\",policy=\"none\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_admission_decisions_total{operation=\"deploy\",outcome=\"rejected\",policy=\"daily-quota\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_unauthenticated_requests_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_shared_state_available 0", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics-secret-key", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(CallerIdentity.Compute("metrics-secret-key"), metrics, StringComparison.Ordinal);
    }

    /// <summary>A simulator stream that stays open for 4 s: a request that holds its admission slot without fault injection.</summary>
    private const string HoldPath = "/_sim/stream?chunks=1&intervalMs=0&holdMs=4000";

    internal static Task<HttpResponseMessage> CreateAsync(HttpClient client, string apiKey) =>
        SendAsync(client, HttpMethod.Post, "/sandboxes", apiKey, """{"templateID":"base","timeout":300}""");

    internal static Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        HttpMethod method,
        string path,
        string apiKey,
        string? json = null,
        string? priority = null,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", apiKey);
        if (priority is not null)
        {
            request.Headers.Add("X-AgentSphere-Priority", priority);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request, cancellationToken);
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"no {name} header");
}
