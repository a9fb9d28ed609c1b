using System.Net;
using System.Text.Json;
using AgentSphere.Simulator.Tests.Infrastructure;

namespace AgentSphere.Simulator.Tests.Api;

public sealed class SandboxApiTests : IAsyncLifetime
{
    private TestSimulator _sim = null!;

    public async Task InitializeAsync() => _sim = await TestSimulator.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task Request_WithoutApiKey_Is401()
    {
        using var response = await _sim.SendAsync(HttpMethod.Get, "/sandboxes", apiKey: null);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "Missing X-API-Key header");
    }

    [Fact]
    public async Task Request_KeyNotConfigured_Is401InvalidApiKey()
    {
        await using var sim = await TestSimulator.StartAsync(o => o.ApiKeys = ["the-only-key"]);

        using var wrong = await sim.SendAsync(HttpMethod.Get, "/sandboxes", apiKey: "other");
        using var right = await sim.SendAsync(HttpMethod.Get, "/sandboxes", apiKey: "the-only-key");

        await ResponseAssert.ErrorAsync(wrong, HttpStatusCode.Unauthorized, "Invalid API key");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task SandboxLifecycle_CreateGetDelete_ThenNotFound()
    {
        // Create
        using var created = await _sim.SendAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base","metadata":{"userId":"u1"}}""");
        var sandbox = await ResponseAssert.JsonAsync(created, HttpStatusCode.Created);
        var id = sandbox.GetProperty("sandboxID").GetString()!;
        Assert.Matches("^[a-z0-9]{20}$", id);
        Assert.Equal("base", sandbox.GetProperty("templateID").GetString());
        Assert.Equal("6532622b", sandbox.GetProperty("clientID").GetString());
        Assert.Equal("0.2.0", sandbox.GetProperty("envdVersion").GetString());
        Assert.Equal(JsonValueKind.Null, sandbox.GetProperty("alias").ValueKind);
        Assert.Equal(JsonValueKind.Null, sandbox.GetProperty("domain").ValueKind);
        Assert.False(sandbox.TryGetProperty("envdAccessToken", out _));

        // Get
        using var got = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}");
        var detail = await ResponseAssert.JsonAsync(got, HttpStatusCode.OK);
        Assert.Equal("running", detail.GetProperty("state").GetString());
        Assert.Equal("u1", detail.GetProperty("metadata").GetProperty("userId").GetString());
        Assert.Equal(2, detail.GetProperty("cpuCount").GetInt32());
        Assert.Equal(512, detail.GetProperty("memoryMB").GetInt32());

        // Delete, then it is gone.
        using var deleted = await _sim.SendAsync(HttpMethod.Delete, $"/sandboxes/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var again = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}");
        await ResponseAssert.ErrorAsync(again, HttpStatusCode.NotFound, $"sandbox \"{id}\" doesn't exist or you don't have access to it");
        using var deleteAgain = await _sim.SendAsync(HttpMethod.Delete, $"/sandboxes/{id}");
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.StatusCode);
    }

    [Fact]
    public async Task Get_IdWithClientIdSuffix_FindsTheSandbox()
    {
        var id = await _sim.CreateSandboxAsync();

        using var response = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}-6532622b");

        var detail = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(id, detail.GetProperty("sandboxID").GetString());
    }

    [Fact]
    public async Task Get_OtherTeamsSandbox_Is404()
    {
        var id = await _sim.CreateSandboxAsync();

        using var response = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}", apiKey: "another-team");
        using var list = await _sim.SendAsync(HttpMethod.Get, "/sandboxes", apiKey: "another-team");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, (await ResponseAssert.JsonAsync(list, HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Create_WithoutTimeout_DefaultsTo15Seconds()
    {
        var id = await _sim.CreateSandboxAsync();

        using var response = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}");

        var detail = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(TestStore.Start, detail.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(TestStore.Start.AddSeconds(15), detail.GetProperty("endAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Create_TimeoutOf50Hours_IsAccepted()
    {
        using var response = await _sim.SendAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base","timeout":180000}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"templateID":"base","timeout":180001}""", "Timeout cannot be greater than 50 hours")]
    [InlineData("""{"templateID":"base","timeout":-1}""", "Timeout cannot be negative")]
    [InlineData("""{"timeout":10}""", "Invalid request body: \"templateID\" is required")]
    [InlineData("""{"templateID":""}""", "Invalid request body: \"templateID\" must not be empty")]
    [InlineData("", "Request body is required")]
    public async Task Create_InvalidBody_Is400WithPreciseMessage(string json, string message)
    {
        using var response = await _sim.SendAsync(HttpMethod.Post, "/sandboxes", json);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Create_MalformedJson_Is400NamingTheParseError()
    {
        using var response = await _sim.SendAsync(HttpMethod.Post, "/sandboxes", """{"templateID":""");

        var body = await ResponseAssert.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("Invalid JSON in request body:", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Secure_ReturnsAnAccessTokenAlsoOnGet()
    {
        using var created = await _sim.SendAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base","secure":true}""");
        var sandbox = await ResponseAssert.JsonAsync(created, HttpStatusCode.Created);
        var token = sandbox.GetProperty("envdAccessToken").GetString();

        using var got = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{sandbox.GetProperty("sandboxID").GetString()}");

        Assert.Equal(token, (await ResponseAssert.JsonAsync(got, HttpStatusCode.OK)).GetProperty("envdAccessToken").GetString());
    }

    [Fact]
    public async Task Get_AfterEndAt_Is404()
    {
        var id = await _sim.CreateSandboxAsync("""{"templateID":"base","timeout":30}""");

        _sim.Clock.Advance(TimeSpan.FromSeconds(30));
        using var response = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Timeout_SetAndTooLong_Is204Then400()
    {
        var id = await _sim.CreateSandboxAsync();

        using var ok = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/timeout", """{"timeout":120}""");
        using var tooLong = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/timeout", """{"timeout":180001}""");
        using var missing = await _sim.SendAsync(HttpMethod.Post, "/sandboxes/aaaaaaaaaaaaaaaaaaaa/timeout", """{"timeout":10}""");
        using var detail = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}");

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        await ResponseAssert.ErrorAsync(tooLong, HttpStatusCode.BadRequest, "Timeout cannot be greater than 50 hours");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(TestStore.Start.AddSeconds(120), (await ResponseAssert.JsonAsync(detail, HttpStatusCode.OK)).GetProperty("endAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Refreshes_DurationOutOfRange_Is400()
    {
        var id = await _sim.CreateSandboxAsync();

        using var ok = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/refreshes", """{"duration":60}""");
        using var tooLong = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/refreshes", """{"duration":3601}""");

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task PauseResumeConnect_StateMachine_AnswersLikeE2B()
    {
        var id = await _sim.CreateSandboxAsync();

        using var pause = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/pause");
        Assert.Equal(HttpStatusCode.NoContent, pause.StatusCode);
        using var pauseAgain = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/pause");
        await ResponseAssert.ErrorAsync(pauseAgain, HttpStatusCode.Conflict, $"Sandbox {id} is already paused");

        using var resume = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/resume", """{"timeout":60}""");
        Assert.Equal(id, (await ResponseAssert.JsonAsync(resume, HttpStatusCode.Created)).GetProperty("sandboxID").GetString());
        using var resumeAgain = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/resume", "{}");
        await ResponseAssert.ErrorAsync(resumeAgain, HttpStatusCode.Conflict, $"Sandbox {id} is already running");

        using var connectRunning = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/connect", """{"timeout":30}""");
        Assert.Equal(id, (await ResponseAssert.JsonAsync(connectRunning, HttpStatusCode.OK)).GetProperty("sandboxID").GetString());

        using var pauseForConnect = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}-6532622b/pause");
        using var connectPaused = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/connect", """{"timeout":30}""");
        Assert.Equal(HttpStatusCode.Created, connectPaused.StatusCode);
    }

    [Fact]
    public async Task ListV1_DefaultState_ShowsOnlyRunning()
    {
        var running = await _sim.CreateSandboxAsync();
        var paused = await _sim.CreateSandboxAsync();
        using var pause = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{paused}/pause");

        using var byDefault = await _sim.SendAsync(HttpMethod.Get, "/sandboxes");
        using var both = await _sim.SendAsync(HttpMethod.Get, "/sandboxes?state=running&state=paused");
        using var invalid = await _sim.SendAsync(HttpMethod.Get, "/sandboxes?state=sleeping");

        Assert.Equal([running], Ids(await ResponseAssert.JsonAsync(byDefault, HttpStatusCode.OK)));
        Assert.Equal(2, (await ResponseAssert.JsonAsync(both, HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task ListV1_SdkDoubleEncodedMetadata_FindsTheMatchingSandbox()
    {
        // Arrange
        var match = await _sim.CreateSandboxAsync("""{"templateID":"base","metadata":{"userId":"a b&c=d%e ✓","suite":"x"}}""");
        await _sim.CreateSandboxAsync("""{"templateID":"base","metadata":{"userId":"a b"}}""");
        var query = SdkEncoding.MetadataQuery(("userId", "a b&c=d%e ✓"), ("suite", "x"));

        // Act
        using var response = await _sim.SendAsync(HttpMethod.Get, "/sandboxes?" + query);
        using var plain = await _sim.SendAsync(HttpMethod.Get, "/sandboxes?metadata=suite%3Dx");
        using var malformed = await _sim.SendAsync(HttpMethod.Get, "/sandboxes?metadata=suite");

        // Assert
        Assert.Equal([match], Ids(await ResponseAssert.JsonAsync(response, HttpStatusCode.OK)));
        Assert.Equal([match], Ids(await ResponseAssert.JsonAsync(plain, HttpStatusCode.OK)));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(3, _sim.Server.GetRequestCount("find"));
    }

    [Fact]
    public async Task ListV2_WalkingPagesWithNextToken_ReturnsEverySandboxOnce()
    {
        // Arrange
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await _sim.CreateSandboxAsync("""{"templateID":"base","timeout":600}"""));
            _sim.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Act
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var path = "/v2/sandboxes?limit=3" + (token is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(token));
            using var response = await _sim.SendAsync(HttpMethod.Get, path);
            seen.AddRange(Ids(await ResponseAssert.JsonAsync(response, HttpStatusCode.OK)));
            token = response.Headers.TryGetValues("X-Next-Token", out var values) ? values.Single() : null;
            pages++;
        }
        while (token is not null);

        // Assert: newest first, no duplicates, no gaps.
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Theory]
    [InlineData("/v2/sandboxes?limit=0", "limit must be between 1 and 100")]
    [InlineData("/v2/sandboxes?limit=101", "limit must be between 1 and 100")]
    [InlineData("/v2/sandboxes?limit=ten", "Invalid limit \"ten\": expected an integer")]
    [InlineData("/v2/sandboxes?nextToken=garbage!", "Invalid nextToken")]
    [InlineData("/v2/sandboxes?nextToken=MTIzOnNob3J0", "Invalid nextToken")]
    public async Task ListV2_InvalidPaging_Is400(string path, string message)
    {
        using var response = await _sim.SendAsync(HttpMethod.Get, path);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Metrics_OneSandbox_SamplesEveryFiveSeconds()
    {
        var id = await _sim.CreateSandboxAsync("""{"templateID":"base","timeout":600}""");
        _sim.Clock.Advance(TimeSpan.FromSeconds(21));

        using var response = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}/metrics");

        var samples = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(5, samples.GetArrayLength());
        var last = samples[4];
        Assert.Equal(TestStore.Start.AddSeconds(20), last.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(TestStore.Start.AddSeconds(20).ToUnixTimeSeconds(), last.GetProperty("timestampUnix").GetInt64());
        Assert.Equal(2, last.GetProperty("cpuCount").GetInt32());
    }

    [Fact]
    public async Task Metrics_ManySandboxes_LiteralRouteWinsAndSkipsUnknownIds()
    {
        var id = await _sim.CreateSandboxAsync();

        using var response = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/metrics?sandbox_ids={id},bbbbbbbbbbbbbbbbbbbb");
        using var none = await _sim.SendAsync(HttpMethod.Get, "/sandboxes/metrics");

        var sandboxes = (await ResponseAssert.JsonAsync(response, HttpStatusCode.OK)).GetProperty("sandboxes");
        Assert.Equal([id], sandboxes.EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(2, _sim.Server.GetRequestCount("monitor"));
    }

    [Fact]
    public async Task Logs_AfterLifecycle_ListTheSandboxEvents()
    {
        var id = await _sim.CreateSandboxAsync();
        _sim.Clock.Advance(TimeSpan.FromSeconds(1));
        using var pause = await _sim.SendAsync(HttpMethod.Post, $"/sandboxes/{id}/pause");

        using var v1 = await _sim.SendAsync(HttpMethod.Get, $"/sandboxes/{id}/logs");
        using var v2 = await _sim.SendAsync(HttpMethod.Get, $"/v2/sandboxes/{id}/logs?direction=backward&limit=1");

        var body = await ResponseAssert.JsonAsync(v1, HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("logs").GetArrayLength());
        Assert.Equal(["created", "paused"], body.GetProperty("logEntries").EnumerateArray().Select(e => e.GetProperty("fields").GetProperty("event").GetString()));
        var newest = Assert.Single((await ResponseAssert.JsonAsync(v2, HttpStatusCode.OK)).GetProperty("logs").EnumerateArray());
        Assert.Equal("paused", newest.GetProperty("fields").GetProperty("event").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Is404NotFound()
    {
        using var response = await _sim.SendAsync(HttpMethod.Get, "/templates/unknown?x=1", apiKey: null);
        using var wrongMethod = await _sim.SendAsync(HttpMethod.Put, "/sandboxes");

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "Not found");
        await ResponseAssert.ErrorAsync(wrongMethod, HttpStatusCode.NotFound, "Not found");
    }

    private static List<string> Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetProperty("sandboxID").GetString()!).ToList();
}
