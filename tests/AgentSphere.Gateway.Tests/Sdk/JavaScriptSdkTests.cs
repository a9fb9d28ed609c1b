using System.Diagnostics;
using System.Text;
using AgentSphere.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AgentSphere.Gateway.Tests.Sdk;

/// <summary>The published AgentSphere JavaScript SDK, unmodified, runs a sandbox's life through the gateway over TLS.</summary>
public sealed class JavaScriptSdkTests(ITestOutputHelper output)
{
    private const string Domain = "agentsphere.test";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    [Fact]
    public async Task AgentSphereJs_CreateListGetInfoSetTimeoutKill_ThroughGatewayOverTls()
    {
        // Arrange: the SDK only speaks https://api.<domain>; the gateway terminates TLS with a test CA's certificate.
        var sdkDirectory = Path.Combine(RepositoryPaths.Root, "tests", "sdk");
        await EnsureNodePackagesAsync(sdkDirectory);
        using var certificates = TestCertificates.Create($"api.{Domain}");
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--urls", "https://127.0.0.1:0",
            $"--Gateway:Tls:CertificatePath={certificates.CertificatePath}",
            $"--Gateway:Tls:KeyPath={certificates.KeyPath}",
        ]);
        Assert.Equal("https", gateway.Instance.PublicUri.Scheme);

        // Act
        var (exitCode, text) = await RunNodeAsync(sdkDirectory, new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = certificates.CaPath,
            ["AGENTSPHERE_TEST_HOST_SUFFIX"] = Domain,
            ["AGENTSPHERE_DOMAIN"] = $"{Domain}:{gateway.Instance.PublicUri.Port}",
            ["AGENTSPHERE_API_KEY"] = "sdk-test-key",
        });
        output.WriteLine(text);

        // Assert: the SDK's own checks passed, and its calls really crossed the gateway to the simulator.
        Assert.True(exitCode == 0, $"SDK smoke failed (exit {exitCode}):\n{text}");
        Assert.Contains(" 0 failed", text, StringComparison.Ordinal);
        var simulator = gateway.Simulators[0];
        Assert.Equal(1, simulator.GetRequestCount("deploy"));
        Assert.True(simulator.GetRequestCount("find") >= 2);
        Assert.True(simulator.GetRequestCount("cleanup") >= 1);
    }

    private static async Task EnsureNodePackagesAsync(string sdkDirectory)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(sdkDirectory, "node_modules", "agentsphere-js", "package.json")))
            {
                return;
            }

            var (exitCode, text) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], sdkDirectory, new Dictionary<string, string>(), TimeSpan.FromMinutes(4));
            Assert.True(exitCode == 0, $"npm ci in {sdkDirectory} failed (exit {exitCode}):\n{text}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static Task<(int ExitCode, string Output)> RunNodeAsync(string sdkDirectory, Dictionary<string, string> environment) =>
        RunAsync("node", ["--require", "./dns-preload.cjs", "sdk-smoke.mjs"], sdkDirectory, environment, TimeSpan.FromSeconds(90));

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string[] arguments, string workingDirectory, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var text = new StringBuilder();
        var lockObject = new Lock();
        process.OutputDataReceived += (_, e) => { lock (lockObject) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (lockObject) { text.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{fileName} timed out after {timeout}:\n{text}");
        }

        await process.WaitForExitAsync();
        lock (lockObject)
        {
            return (process.ExitCode, text.ToString());
        }
    }
}
