using System.Globalization;
using System.Net;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AgentSphere.Gateway.Tests.Observability;

/// <summary>The dashboard in a real browser (Debian's chromium through Playwright) against a real gateway and simulator.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(ChromiumBrowser chromium, ITestOutputHelper output)
{
    // The page refreshes every 5 s: three refreshes are enough for anything it has to show.
    private const float RefreshDeadlineMs = 15_000;

    [Fact]
    public async Task Dashboard_WithToken_ShowsLiveKpisOperationsBackendsAndAlertsWithoutScriptErrors()
    {
        // Any running gateway uses more than 3 MB, so gateway memory is an emergency at once: the alert panels have content.
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Alerts:EvaluationInterval=00:00:01",
            "--Alerts:GatewayMemory:Warning=1", "--Alerts:GatewayMemory:Critical=2", "--Alerts:GatewayMemory:Emergency=3",
        ]);
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");

        var response = await page.GotoAsync(new Uri(gateway.Instance.ManagementUri, $"/dashboard?token={TestGateway.AdminToken}").ToString());

        Assert.NotNull(response);
        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        Assert.EndsWith("/dashboard", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("kpi-requests")).ToHaveAttributeAsync("data-value", "0", new() { Timeout = RefreshDeadlineMs });
        Assert.NotEqual("never", await page.GetByTestId("last-updated").TextContentAsync());

        // Act: 30 lists from three callers (ten each, one at a time per caller, within the per-caller limit of 5) and one unknown sandbox.
        await Task.WhenAll(Enumerable.Range(1, 3).Select(async caller =>
        {
            for (var i = 0; i < 10; i++)
            {
                using var list = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", $"dashboard-key-{caller}");
                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            }
        }));
        using (var missing = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes/unknownsandbox000000", "dashboard-key-1"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await page.WaitForFunctionAsync(
            """
            () => {
              const value = (selector) => Number(document.querySelector(selector)?.dataset.value ?? NaN);
              return value('[data-testid="kpi-requests"]') >= 31
                && value('#ops-table tr[data-operation="list"] [data-field="requests"]') >= 30
                && value('#ops-table tr[data-operation="connect"] [data-field="requests"]') >= 1;
            }
            """,
            null,
            new() { Timeout = RefreshDeadlineMs });

        // Assert
        var list = page.GetByTestId("ops-table").Locator("tr[data-operation='list']");
        Assert.Equal("30", await list.Locator("[data-field='requests']").GetAttributeAsync("data-value"));
        Assert.True(double.Parse(await list.Locator("[data-field='p95']").GetAttributeAsync("data-value") ?? "0", CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(await page.GetByTestId("kpi-rps").GetAttributeAsync("data-value") ?? "0", CultureInfo.InvariantCulture) > 0);
        await Assertions.Expect(page.GetByTestId("backends-table").Locator("tr[data-destination='sim-1'] [data-field='healthy']")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.GetByTestId("alerts-active").Locator("li[data-metric='GatewayMemory']")).ToHaveAttributeAsync("data-level", "Emergency", new() { Timeout = RefreshDeadlineMs });
        await Assertions.Expect(page.GetByTestId("alerts-history").Locator("tr[data-metric='GatewayMemory']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("shared-state")).ToHaveTextAsync("local");
        await Assertions.Expect(page.GetByTestId("error-banner")).ToBeHiddenAsync();
        Assert.Empty(problems);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"dashboard screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 0, "the screenshot is empty");
    }

    [Fact]
    public async Task Dashboard_WithoutToken_Is401AndServesNoPage()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(gateway.Instance.ManagementUri, "/dashboard").ToString());

        Assert.NotNull(response);
        Assert.Equal((int)HttpStatusCode.Unauthorized, response.Status);
        Assert.Empty(await context.CookiesAsync());
        Assert.Equal(0, await page.GetByTestId("kpi-requests").CountAsync());
        Assert.Contains("Admin token required", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WhenTheAdminCookieIsGone_ShowsTheTokenBannerAndMarksTheDataStale()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(gateway.Instance.ManagementUri, $"/dashboard?token={TestGateway.AdminToken}").ToString());
        await Assertions.Expect(page.GetByTestId("kpi-requests")).ToHaveAttributeAsync("data-value", "0", new() { Timeout = RefreshDeadlineMs });

        await context.ClearCookiesAsync();

        var banner = page.GetByTestId("error-banner");
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = RefreshDeadlineMs });
        await Assertions.Expect(banner).ToContainTextAsync("Admin token required: open /dashboard?token=");
        await Assertions.Expect(page.GetByTestId("last-updated")).ToHaveClassAsync("stale");
        await Assertions.Expect(page.GetByTestId("kpi-requests")).ToHaveAttributeAsync("data-value", "0");
    }
}
