using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Gateway.Tests.Management;

/// <summary>The management plane's admin token, against a real gateway on loopback.</summary>
public sealed class AdminTokenTests
{
    [Theory]
    [InlineData("/admin/status")]
    [InlineData("/admin/alerts")]
    [InlineData("/admin/backends")]
    [InlineData("/admin/capacity")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/dashboard.js")]
    public async Task AdminEndpoint_WithoutOrWithAWrongToken_Gets401ProblemThatNeverEchoesTheToken(string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        using var none = await anonymous.GetAsync(path);
        using var wrong = await SendAsync(anonymous, path, "not-the-admin-token-at-all");
        using var right = await gateway.Management.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("not-the-admin-token-at-all", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.AdminToken, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task HealthAndMetrics_ByDefault_NeedNoToken(string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenProtected_NeedsTheToken()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Management:ProtectMetrics=true"]);
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        using var refused = await anonymous.GetAsync("/metrics");
        using var allowed = await gateway.Management.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task AdminEndpoint_OpenForLoopback_NeedsNoTokenFromLoopback()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Management:AllowLoopbackWithoutToken=true"]);
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        using var response = await anonymous.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AdminEndpoint_WithNoTokenConfigured_IsClosedAndSaysWhy()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Management:AdminToken="]);

        using var response = await gateway.Management.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("Management:AdminToken", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithTheTokenInTheQuery_SetsAnHttpOnlyCookieAndRedirectsToTheCleanUrl()
    {
        await using var gateway = await TestGateway.StartAsync();
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = gateway.Instance.ManagementUri };

        using var login = await browser.GetAsync($"/dashboard?token={TestGateway.AdminToken}");
        using var page = await browser.GetAsync("/dashboard");
        using var status = await browser.GetAsync("/admin/status");
        using var refused = await browser.GetAsync("/dashboard?token=wrong-token-wrong-token");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard", login.Headers.Location?.OriginalString);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Startup_WithAShortToken_FailsNamingTheKeyWithoutTheToken()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestGateway.StartAsync(extraArgs: ["--Management:AdminToken=short-secret"]));

        Assert.Contains("Management:AdminToken", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/status")]
    [InlineData("/dashboard")]
    public async Task AdminEndpoint_AfterTooManyWrongTokens_Gets429WithRetryAfterUntilTheWindowPasses(string path)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(
            extraArgs: ["--Management:FailedTokenLimit=3", "--Management:FailedTokenWindow=00:01:00"],
            services: s => s.AddSingleton<TimeProvider>(clock));
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await SendAsync(anonymous, path, $"wrong-admin-token-guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await gateway.Management.GetAsync(path);
        var body = await limited.Content.ReadAsStringAsync();
        clock.Advance(TimeSpan.FromSeconds(59));
        using var stillLimited = await gateway.Management.GetAsync(path);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var allowed = await gateway.Management.GetAsync(path);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(429, JsonDocument.Parse(body).RootElement.GetProperty("code").GetInt32());
        Assert.DoesNotContain(TestGateway.AdminToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-admin-token-guess", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), stillLimited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        var metrics = await gateway.Management.GetStringAsync("/metrics");
        Assert.Contains("agentsphere_gateway_admin_token_refusals_total{reason=\"wrong_token\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_admin_token_refusals_total{reason=\"rate_limited\"} 2", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-admin-token-guess", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminEndpoint_WrongTokensFromAnUntrustedPeer_AreLimitedWhateverAddressItClaims()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Management:FailedTokenLimit=2"]);
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        for (var i = 0; i < 2; i++)
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-admin-token-guess");
            wrong.Headers.TryAddWithoutValidation("X-Forwarded-For", $"203.0.113.{i + 1}");
            (await anonymous.SendAsync(wrong)).Dispose();
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        right.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.99");
        using var response = await anonymous.SendAsync(right);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenProtected_AreRateLimitedLikeTheAdminEndpoints()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Management:ProtectMetrics=true", "--Management:FailedTokenLimit=2"]);
        using var anonymous = new HttpClient { BaseAddress = gateway.Instance.ManagementUri };

        using var first = await SendAsync(anonymous, "/metrics", "wrong-admin-token-guess");
        using var second = await SendAsync(anonymous, "/metrics", "wrong-admin-token-guess");
        using var limited = await gateway.Management.GetAsync("/metrics");
        using var admin = await gateway.Management.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, admin.StatusCode);
    }

    [Fact]
    public async Task FailedTokenTable_UnderAFloodOfPeers_StaysBoundedAndStillLimits()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: ["--Management:FailedTokenLimit=3"]);
        var failures = gateway.Instance.App.Services.GetRequiredService<AgentSphere.Gateway.Management.AdminTokenFailures>();

        for (var i = 0; i < AgentSphere.Gateway.Management.AdminTokenFailures.MaxTrackedPeers + 5_000; i++)
        {
            failures.RecordFailure(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
        }

        var latecomer = IPAddress.Parse("192.0.2.1");
        var blockedBefore = failures.IsBlocked(latecomer, out _);
        for (var i = 0; i < 3; i++)
        {
            failures.RecordFailure(latecomer);
        }

        Assert.Equal(AgentSphere.Gateway.Management.AdminTokenFailures.MaxTrackedPeers, failures.TrackedPeers);
        Assert.True(blockedBefore, "peers beyond the table share the flood's overflow window, which is over the limit");
        Assert.True(failures.IsBlocked(latecomer, out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
        Assert.False(failures.IsBlocked(new IPAddress([10, 0, 0, 1]), out _), "a tracked peer with one failure is not blocked");
    }

    [Theory]
    [InlineData("/admin/status")]
    [InlineData("/admin/backends")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard?token=" + TestGateway.AdminToken)]
    public async Task PublicListener_NeverServesTheManagementPlane(string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", "k");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);

        using var response = await gateway.Client.SendAsync(request);

        // Passed through to the backend, which has no such path.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"code":404,"message":"Not found"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("--Management:FailedTokenLimit=0", "Management:FailedTokenLimit")]
    [InlineData("--Management:FailedTokenWindow=00:00:00", "Management:FailedTokenWindow")]
    public async Task Startup_WithABadFailedTokenSetting_FailsNamingTheKey(string argument, string key)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestGateway.StartAsync(extraArgs: [argument]));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
