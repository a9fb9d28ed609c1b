using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Admission;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>Header hygiene through the real proxy: forwarding headers only from trusted proxies, hop-by-hop headers dropped both ways, no credential echoed, internal headers kept internal.</summary>
public sealed class HeaderHygieneTests
{
    private const string ApiKey = "sk-hygiene-secret-key-0001";

    [Fact]
    public async Task ForwardingHeaders_FromAnUntrustedPeer_AreDroppedAndSetAfreshForTheBackend()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartGatewayAsync(backend);
        using var request = Request(HttpMethod.Get, "/hygiene/untrusted");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/evil");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Port", "443");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.9;proto=https");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-AgentSphere-Load", "cpu=0.01;memory=0.01;queue=0");
        request.Headers.TryAddWithoutValidation("X-AgentSphere-Caller", "admin");
        request.Headers.TryAddWithoutValidation("X-AgentSphere-Priority", "critical");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = backend.LastRequest;
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("http", seen["X-Forwarded-Proto"]);
        Assert.Equal($"127.0.0.1:{gateway.Instance.PublicUri.Port}", seen["X-Forwarded-Host"]);
        Assert.DoesNotContain(seen.Keys, name => name.Equals("X-Forwarded-Prefix", StringComparison.OrdinalIgnoreCase)
            || name.Equals("X-Forwarded-Port", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
            || name.Equals("X-Real-IP", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("X-AgentSphere-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ForwardingHeaders_FromATrustedProxy_AreHonouredAndTheChainIsKeptForTheBackend()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartGatewayAsync(backend, "--Gateway:TrustedProxies:0=127.0.0.0/8");
        using var request = Request(HttpMethod.Get, "/hygiene/trusted");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.1, 203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "api.example.test");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.7");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = backend.LastRequest;
        Assert.Equal("198.51.100.1, 203.0.113.7, 127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("https, http", seen["X-Forwarded-Proto"]);
        Assert.Equal($"api.example.test, 127.0.0.1:{gateway.Instance.PublicUri.Port}", seen["X-Forwarded-Host"]);
        Assert.Equal("203.0.113.7", seen["X-Real-IP"]);
    }

    [Fact]
    public async Task ClientAddress_FromATrustedProxy_IsTheForwardedOneForTheGatewayItself()
    {
        // Loopback may use the admin plane without a token; a request a trusted proxy forwards for 203.0.113.7 may not.
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Gateway:TrustedProxies:0=127.0.0.1",
            "--Management:AllowLoopbackWithoutToken=true",
        ]);
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        using var direct = await anonymous.GetAsync("/admin/status");
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        forwarded.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        using var viaProxy = await anonymous.SendAsync(forwarded);

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, viaProxy.StatusCode);
    }

    [Fact]
    public async Task ClientAddress_FromAnUntrustedPeer_IgnoresItsForwardingClaim()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Gateway:TrustedProxies:0=10.0.0.0/8",
            "--Management:AllowLoopbackWithoutToken=true",
        ]);
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PriorityHeader_FromATrustedProxy_IsHonoured()
    {
        // As AdmissionTests.PriorityHeader_FromAnUntrustedCaller_IsIgnored, but the caller is behind a trusted proxy.
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Admission:Global:MaxConcurrency=1",
            "--Gateway:TrustedProxies:0=127.0.0.1",
        ]);
        var controller = gateway.Instance.App.Services.GetRequiredService<IAdmissionController>();

        var holder = AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/_sim/stream?chunks=1&intervalMs=0&holdMs=4000", "a-key");
        await Eventually.TrueAsync(() => controller.Snapshot().InService == 1, "the holder in service");
        var proxied = AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "b-key", priority: "critical");

        await Eventually.TrueAsync(() => controller.Snapshot().Waiting[(int)RequestPriority.Critical] == 1, "the proxied request waiting at critical priority");
        (await holder).Dispose();
        (await proxied).Dispose();
    }

    [Fact]
    public async Task HopByHopHeaders_InBothDirections_AreDropped()
    {
        await using var backend = await RecordingBackend.StartAsync();
        backend.ResponseHeaders["Connection"] = "X-Hop-Response";
        backend.ResponseHeaders["X-Hop-Response"] = "hop-value";
        backend.ResponseHeaders["Keep-Alive"] = "timeout=99";
        backend.ResponseHeaders["Proxy-Connection"] = "keep-alive";
        backend.ResponseHeaders["Proxy-Authenticate"] = "Basic realm=\"backend\"";
        backend.ResponseHeaders["Trailer"] = "X-Checksum";
        backend.ResponseHeaders["Upgrade"] = "h2c";
        backend.ResponseHeaders["TE"] = "trailers";
        await using var gateway = await StartGatewayAsync(backend);

        // A raw request: HttpClient would not send most of these as written. Kestrel shows the application a Connection header that
        // lists close, keep-alive or upgrade as that option alone, so the nominated header is the only one listed here.
        var (status, headers) = await SendRawAsync(gateway.Instance.PublicUri, string.Join("\r\n",
            "GET /hygiene/hop HTTP/1.1",
            $"Host: 127.0.0.1:{gateway.Instance.PublicUri.Port}",
            $"X-API-Key: {ApiKey}",
            "Connection: X-Hop-Request",
            "X-Hop-Request: hop-value",
            "Keep-Alive: timeout=5",
            "Proxy-Connection: keep-alive",
            "TE: trailers",
            "Trailer: X-Checksum",
            "Upgrade: h2c",
            "Proxy-Authorization: Basic c2VjcmV0OnNlY3JldA==",
            string.Empty,
            string.Empty));

        Assert.Equal(200, status);
        var seen = backend.LastRequest;
        string[] requestHopByHop = ["X-Hop-Request", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade", "Proxy-Authorization"];
        Assert.All(requestHopByHop, name => Assert.False(seen.ContainsKey(name), $"the backend got {name}"));
        Assert.DoesNotContain("x-hop", seen.GetValueOrDefault("Connection") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        string[] responseHopByHop = ["X-Hop-Response", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Trailer", "Upgrade", "TE"];
        Assert.All(responseHopByHop, name => Assert.False(headers.ContainsKey(name), $"the client got {name}"));
        Assert.DoesNotContain("x-hop", headers.GetValueOrDefault("Connection") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BackendResponse_EchoingCredentialsOrBanners_ReachesTheClientWithoutThem()
    {
        await using var backend = await RecordingBackend.StartAsync();
        backend.ResponseHeaders["X-API-Key"] = ApiKey;
        backend.ResponseHeaders["Authorization"] = "Bearer " + ApiKey;
        backend.ResponseHeaders["Proxy-Authorization"] = "Basic " + ApiKey;
        backend.ResponseHeaders["Server"] = "backend/1.0";
        backend.ResponseHeaders["X-Powered-By"] = "PHP/8.3";
        backend.ResponseHeaders["X-Request-Id"] = "kept";
        await using var gateway = await StartGatewayAsync(backend);

        using var response = await gateway.Client.SendAsync(Request(HttpMethod.Get, "/hygiene/echo"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ApiKey, backend.LastRequest["X-API-Key"]);
        Assert.Equal("kept", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        var all = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        Assert.DoesNotContain(ApiKey, all, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), all);
        Assert.False(response.Headers.Contains("X-Powered-By"), all);
        Assert.False(response.Headers.Contains("Authorization"), all);
        Assert.False(response.Headers.Contains("Proxy-Authorization"), all);
    }

    [Fact]
    public async Task BackendLoadHeader_FeedsTheBalancerButNeverReachesTheClient()
    {
        await using var backend = await RecordingBackend.StartAsync();
        backend.ResponseHeaders["X-AgentSphere-Load"] = "cpu=0.42;memory=0.31;queue=3";
        await using var gateway = await StartGatewayAsync(backend);

        using var response = await gateway.Client.SendAsync(Request(HttpMethod.Get, "/sandboxes"));
        var backends = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/backends")).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-AgentSphere-Load"));
        var report = backends.GetProperty("clusters")[0].GetProperty("destinations")[0].GetProperty("signals").GetProperty("report");
        Assert.Equal(0.42, report.GetProperty("cpu").GetDouble(), 3);
        Assert.Equal(3, report.GetProperty("queueLength").GetInt32());
    }

    [Fact]
    public async Task GatewayOwnRefusals_NeverEchoTheApiKey()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartGatewayAsync(backend, "--Admission:DailyQuota:Limit=1");

        using var first = await gateway.Client.SendAsync(Request(HttpMethod.Post, "/sandboxes"));
        using var refused = await gateway.Client.SendAsync(Request(HttpMethod.Post, "/sandboxes"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var all = string.Join("\n", refused.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}")) + await refused.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ApiKey, all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WithABadTrustedProxy_FailsNamingTheKeyAndTheEntry()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestGateway.StartAsync(extraArgs:
        [
            "--Gateway:TrustedProxies:0=10.0.0.0/8",
            "--Gateway:TrustedProxies:1=proxy.internal",
        ]));

        Assert.Contains("Gateway:TrustedProxies", failure.Message, StringComparison.Ordinal);
        Assert.Contains("proxy.internal", failure.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", ApiKey);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("""{"templateID":"base"}""", Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static Task<TestGateway> StartGatewayAsync(RecordingBackend backend, params string[] extraArgs) =>
        TestGateway.StartAsync(simulators: [], extraArgs: extraArgs, configure: config =>
        {
            config.Cluster["Destinations"] = new JsonObject { ["recorder"] = new JsonObject { ["Address"] = backend.BaseAddress.ToString() } };
            config.Cluster["HealthCheck"]!["Active"]!["Enabled"] = false;
        });

    // Sends a raw HTTP/1.1 request and reads the answer's status and headers.
    private static async Task<(int Status, IReadOnlyDictionary<string, string> Headers)> SendRawAsync(Uri baseUri, string head)
    {
        await using var connection = await RawHttpConnection.OpenAsync(baseUri);
        await connection.SendAsync(head);
        var response = await connection.ReadResponseAsync();
        return (response.Status, response.Headers);
    }
}
