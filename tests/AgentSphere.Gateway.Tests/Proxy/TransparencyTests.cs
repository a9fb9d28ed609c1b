using System.Net;
using System.Text;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Gateway.Tests.Proxy;

/// <summary>
/// Differential test: the same request script runs against one simulator directly and against its twin (same seed,
/// same clock) behind the gateway. Every status, body and relevant header must be identical.
/// </summary>
public sealed class TransparencyTests : IAsyncLifetime
{
    private const string ApiKey = "parity-key";
    private static readonly string[] ComparedHeaders = ["Content-Type", "X-Next-Token", "Location", "Retry-After"];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private SimulatorServer _direct = null!;
    private SimulatorServer _proxied = null!;
    private TestGateway _gateway = null!;
    private HttpClient _directClient = null!;

    public async Task InitializeAsync()
    {
        _direct = await SimulatorServer.StartAsync(Options(), _clock);
        _proxied = await SimulatorServer.StartAsync(Options(), _clock);
        _gateway = await TestGateway.StartAsync([_proxied]);
        _directClient = new HttpClient { BaseAddress = _direct.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _directClient.Dispose();
        await _gateway.DisposeAsync();
        await _proxied.DisposeAsync();
        await _direct.DisposeAsync();
    }

    [Fact]
    public async Task EveryEndpoint_ThroughGateway_MatchesDirectCall()
    {
        // Creates: ids come from the seeded random, so both sides hand out the same ids.
        var first = await CompareAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base","metadata":{"userId":"u1","suite":"parity"}}""");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var id1 = JsonDocument.Parse(first.Body).RootElement.GetProperty("sandboxID").GetString()!;
        var second = await CompareAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base","timeout":60,"metadata":{"userId":"u2"},"secure":true}""");
        var id2 = JsonDocument.Parse(second.Body).RootElement.GetProperty("sandboxID").GetString()!;
        await CompareAsync(HttpMethod.Post, "/sandboxes", """{"templateID":"base","timeout":180001}""", expected: HttpStatusCode.BadRequest);
        await CompareAsync(HttpMethod.Post, "/sandboxes", """{"templateID":""", expected: HttpStatusCode.BadRequest);

        // Lists: v1 with and without the double-encoded metadata filter, v2 with its cursor.
        await CompareAsync(HttpMethod.Get, "/sandboxes", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, "/sandboxes?metadata=userId%3Du1", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, "/sandboxes?metadata=userId%3Du1%26suite%3Dparity&state=running", expected: HttpStatusCode.OK);
        var page1 = await CompareAsync(HttpMethod.Get, "/v2/sandboxes?limit=1", expected: HttpStatusCode.OK);
        var token = Assert.Single(page1.Headers["X-Next-Token"]);
        await CompareAsync(HttpMethod.Get, $"/v2/sandboxes?limit=1&nextToken={Uri.EscapeDataString(token)}", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, "/v2/sandboxes?limit=0", expected: HttpStatusCode.BadRequest);

        // One sandbox: read (also in the SDK's id-clientId form), keep alive, lifecycle, monitor, delete.
        await CompareAsync(HttpMethod.Get, $"/sandboxes/{id1}", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, $"/sandboxes/{id1}-6532622b", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, "/sandboxes/doesnotexist00000000", expected: HttpStatusCode.NotFound);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/timeout", """{"timeout":120}""", expected: HttpStatusCode.NoContent);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/refreshes", """{"duration":30}""", expected: HttpStatusCode.NoContent);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/pause", expected: HttpStatusCode.NoContent);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/pause", expected: HttpStatusCode.Conflict);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/resume", """{"timeout":30}""", expected: HttpStatusCode.Created);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/resume", """{"timeout":30}""", expected: HttpStatusCode.Conflict);
        await CompareAsync(HttpMethod.Post, $"/sandboxes/{id1}/connect", """{"timeout":30}""", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, $"/sandboxes/{id1}/metrics", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, $"/sandboxes/metrics?sandbox_ids={id1},{id2}", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, $"/sandboxes/{id1}/logs", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, $"/v2/sandboxes/{id1}/logs?limit=10", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Delete, $"/sandboxes/{id2}", expected: HttpStatusCode.NoContent);
        await CompareAsync(HttpMethod.Delete, $"/sandboxes/{id2}", expected: HttpStatusCode.NotFound);
        await CompareAsync(HttpMethod.Get, "/sandboxes", apiKey: "another-team", expected: HttpStatusCode.OK);

        // Health and paths the gateway does not know (catch-all route).
        await CompareAsync(HttpMethod.Get, "/health", expected: HttpStatusCode.OK);
        await CompareAsync(HttpMethod.Get, "/templates/unknown?x=1", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApiKeyHeader_ReachesBackendUntouched()
    {
        // The simulator owns sandboxes by the exact key that created them, so a sandbox created through the gateway
        // is visible directly only with a byte-identical key.
        const string key = "Team-A_key.with:odd=chars";
        using var create = Request(HttpMethod.Post, "/sandboxes", """{"templateID":"base"}""", key);
        using var created = await _gateway.Client.SendAsync(create);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("sandboxID").GetString();
        using var proxiedClient = new HttpClient { BaseAddress = _proxied.BaseAddress };

        using var sameKey = await proxiedClient.SendAsync(Request(HttpMethod.Get, $"/sandboxes/{id}", null, key));
        using var otherKey = await proxiedClient.SendAsync(Request(HttpMethod.Get, $"/sandboxes/{id}", null, key.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherKey.StatusCode);
    }

    private static SimulatorOptions Options() => new() { Name = "twin", LatencyScale = 0, Seed = 2026 };

    private static HttpRequestMessage Request(HttpMethod method, string path, string? body, string? apiKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private async Task<Observed> CompareAsync(HttpMethod method, string path, string? body = null, string? apiKey = ApiKey, HttpStatusCode? expected = null)
    {
        var direct = await SendAsync(_directClient, method, path, body, apiKey);
        var proxied = await SendAsync(_gateway.Client, method, path, body, apiKey);

        Assert.True(direct.Status == proxied.Status, $"{method} {path}: status {direct.Status} direct, {proxied.Status} through the gateway");
        Assert.True(direct.Body == proxied.Body, $"{method} {path}: bodies differ\n direct:  {direct.Body}\n gateway: {proxied.Body}");
        foreach (var header in ComparedHeaders)
        {
            var d = direct.Headers.GetValueOrDefault(header, []);
            var p = proxied.Headers.GetValueOrDefault(header, []);
            Assert.True(d.SequenceEqual(p), $"{method} {path}: header {header} is [{string.Join(",", d)}] direct, [{string.Join(",", p)}] through the gateway");
        }

        if (expected is { } status)
        {
            Assert.Equal(status, direct.Status);
        }

        return direct;
    }

    private static async Task<Observed> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? apiKey)
    {
        using var request = Request(method, path, body, apiKey);
        using var response = await client.SendAsync(request);
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = values.ToArray();
        }

        return new Observed(response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }

    private sealed record Observed(HttpStatusCode Status, string Body, Dictionary<string, string[]> Headers);
}
