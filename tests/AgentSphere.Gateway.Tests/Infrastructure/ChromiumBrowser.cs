using Microsoft.Playwright;

namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>One headless Debian chromium (<c>/usr/bin/chromium</c>) driven by Playwright, shared by the browser tests; each test opens its own context.</summary>
/// <remarks>Playwright's own browsers are never downloaded: its driver runs on the node binary inside the NuGet package and is pointed at the system chromium.</remarks>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (scripts/test.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        try
        {
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,

                // Tests run as root, where chromium's sandbox cannot start; /dev/shm is small in containers.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
        }
        catch
        {
            _playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context (its own cookies) with a desktop-sized viewport.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
