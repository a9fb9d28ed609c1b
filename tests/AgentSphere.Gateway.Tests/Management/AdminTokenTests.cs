using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;

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

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
