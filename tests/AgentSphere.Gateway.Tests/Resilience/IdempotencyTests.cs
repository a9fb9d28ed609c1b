using System.Net;
using System.Text;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Resilience;

/// <summary>Creates with an <c>Idempotency-Key</c> through real gateways and simulators (and a real <c>redis-server</c> for two instances).</summary>
public sealed class IdempotencyTests
{
    private const string Body = """{"templateID":"base","timeout":300,"metadata":{"userId":"idem"}}""";

    [Fact]
    public async Task Create_RepeatedWithTheSameKey_ExecutesOnceAndReplaysTheFirstResponse()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var first = await CreateAsync(gateway, "idem-caller", "key-1", Body);
        using var second = await CreateAsync(gateway, "idem-caller", "key-1", Body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", AdmissionTests.Header(second, "Idempotent-Replayed"));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Create_TheBackendRefused_IsNotRememberedSoTheRetryRuns(int refusal)
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Simulators[0].SetFaults(new SimulatorFaults { ErrorRate = 1, ErrorStatusCode = refusal });

        using var refused = await CreateAsync(gateway, "idem-caller", "key-refused", Body);
        gateway.Simulators[0].ClearFaults();
        using var retried = await CreateAsync(gateway, "idem-caller", "key-refused", Body);

        Assert.Equal(refusal, (int)refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Create_SameKeyDifferentBody_Gets422()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var first = await CreateAsync(gateway, "idem-caller", "key-2", Body);
        using var other = await CreateAsync(gateway, "idem-caller", "key-2", Body.Replace("idem", "other", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Create_SameKeyByAnotherCaller_IsItsOwnCreate()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var mine = await CreateAsync(gateway, "caller-a", "shared-key", Body);
        using var theirs = await CreateAsync(gateway, "caller-b", "shared-key", Body);

        Assert.NotEqual(SandboxId(await mine.Content.ReadAsStringAsync()), SandboxId(await theirs.Content.ReadAsStringAsync()));
        Assert.Equal(2, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Create_RepeatWhileTheFirstRuns_WaitsAndGetsTheSameSandbox()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Simulators[0].SetFaults(new SimulatorFaults { ExtraLatencyMs = 1500 });

        var first = CreateAsync(gateway, "idem-caller", "key-3", Body);
        await Eventually.TrueAsync(() => gateway.Simulators[0].GetRequestCount("deploy") == 1, "the first create at the backend");
        using var second = await CreateAsync(gateway, "idem-caller", "key-3", Body);
        using var firstResponse = await first;

        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(SandboxId(await firstResponse.Content.ReadAsStringAsync()), SandboxId(await second.Content.ReadAsStringAsync()));
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Create_WithAnInvalidKey_Gets400()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await CreateAsync(gateway, "idem-caller", new string('k', 300), Body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Replay_DoesNotUseQuota()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Admission:DailyQuota:Limit=1"]);

        using var first = await CreateAsync(gateway, "quota-caller", "key-4", Body);
        using var replay = await CreateAsync(gateway, "quota-caller", "key-4", Body);
        using var again = await CreateAsync(gateway, "quota-caller", "key-4", Body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task Create_RetriedAcrossTwoGatewaysWhileTheFirstRuns_ExactlyOneSandboxExists()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Name = "sim-idem", LatencyScale = 0, Seed = 9 });
        string[] args = [$"--Redis:Configuration={redis.ConnectionString}"];
        await using var first = await TestGateway.StartAsync([simulator], extraArgs: args);
        await using var second = await TestGateway.StartAsync([simulator], extraArgs: args);
        foreach (var gateway in new[] { first, second })
        {
            await Eventually.ReturnsAsync(() => gateway.Management.GetStringAsync("/healthz"), body => body.Contains("\"shared\"", StringComparison.Ordinal), "shared state");
        }

        simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 1500 });

        // The client's first attempt is still running on one gateway when it retries through the other.
        var attempt = CreateAsync(first, "fleet-caller", "fleet-key", Body);
        await Eventually.TrueAsync(() => simulator.GetRequestCount("deploy") == 1, "the first attempt at the backend");
        using var retry = await CreateAsync(second, "fleet-caller", "fleet-key", Body);
        using var original = await attempt;
        simulator.ClearFaults();
        using var list = await AdmissionTests.SendAsync(first.Client, HttpMethod.Get, "/sandboxes?metadata=userId%3Didem", "fleet-caller");

        Assert.Equal(HttpStatusCode.Created, original.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(SandboxId(await original.Content.ReadAsStringAsync()), SandboxId(await retry.Content.ReadAsStringAsync()));
        Assert.Equal(1, simulator.GetRequestCount("deploy"));
        Assert.Equal(1, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
        await simulator.DisposeAsync();
    }

    private static Task<HttpResponseMessage> CreateAsync(TestGateway gateway, string apiKey, string idempotencyKey, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/sandboxes") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", apiKey);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return gateway.Client.SendAsync(request);
    }

    private static string SandboxId(string json) => JsonDocument.Parse(json).RootElement.GetProperty("sandboxID").GetString()!;
}
