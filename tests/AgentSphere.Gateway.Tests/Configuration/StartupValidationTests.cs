using System.Text.Json.Nodes;
using AgentSphere.Gateway.Hosting;
using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Configuration;

public sealed class StartupValidationTests : IDisposable
{
    private readonly YarpConfigFile _config = YarpConfigFile.Create([("sim-1", new Uri("http://127.0.0.1:9/"))]);

    public void Dispose() => _config.Dispose();

    [Theory]
    [InlineData("--AgentSphere:TimeoutMs=0", "AgentSphere:TimeoutMs (env AGENTSPHERE_TIMEOUT) must be between 1000 and 600000")]
    [InlineData("--AgentSphere:RetryAttempts=11", "AgentSphere:RetryAttempts (env AGENTSPHERE_RETRY_ATTEMPTS) must be between 0 and 10")]
    [InlineData("--AgentSphere:HealthCheckIntervalMs=5", "AgentSphere:HealthCheckIntervalMs")]
    [InlineData("--AgentSphere:BatchSize=abc", "AgentSphere:BatchSize")]
    [InlineData("--Gateway:ManagementUrls=ftp://127.0.0.1:1", "Gateway:ManagementUrls")]
    [InlineData("--Gateway:ManagementUrls=http://example.com:8081", "must bind to an IP address")]
    [InlineData("--Gateway:Demo:Backends=0", "Gateway:Demo:Backends")]
    [InlineData("--Gateway:Tls:CertificatePath=/nonexistent/cert.pem", "Gateway:Tls:CertificatePath")]
    [InlineData("--Admission:Caller:MaxConcurrency=0", "Admission:Caller:MaxConcurrency must be between 1 and 100000; got 0.")]
    [InlineData("--Admission:Operations:uploads=20", "Admission:Operations:uploads: 'uploads' is not an operation; allowed: other, list")]
    [InlineData("--Admission:Priorities:Operations:cleanup=urgent", "must be one of critical, high, normal, low; got 'urgent'")]
    [InlineData("--Admission:Global:QueueTimeout=soon", "Admission:Global:QueueTimeout")]
    [InlineData("--Redis:FallbackShare=2", "Redis:FallbackShare")]
    public async Task RunAsync_BadOption_StopsWithMessageNamingKey(string badArgument, string expectedMessage)
    {
        var (exitCode, error) = await RunAsync(badArgument, badArgument.Contains("Tls", StringComparison.Ordinal) ? "--urls=https://127.0.0.1:0" : "--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RequiredRedisUnreachable_StopsWithMessageNamingKeyWithoutPassword()
    {
        using var error = new StringWriter();

        var exitCode = await GatewayApplication.RunAsync(
            ["--demo", "--urls", "http://127.0.0.1:0", "--management-urls", "http://127.0.0.1:0", "--Redis:Configuration=127.0.0.1:1,password=hunter2,connectTimeout=500", "--Redis:Required=true"],
            TextWriter.Null,
            error);

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains("Redis:Required", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ManagementSharesPublicPort_StopsWithMessageNamingKey()
    {
        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:18080", "--Gateway:ManagementUrls=http://127.0.0.1:18080");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains("Gateway:ManagementUrls must not share port 18080", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedYarpJson_StopsWithMessageNamingFile()
    {
        _config.WriteRaw("{ \"ReverseProxy\": ");

        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(_config.FilePath, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownOperationInYarpJson_StopsWithMessageNamingRouteAndAllowedValues()
    {
        _config.Routes["list"]!["Metadata"] = new JsonObject { ["AgentSphere.Operation"] = "lists" };
        _config.Save();

        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains("Route 'list'", error, StringComparison.Ordinal);
        Assert.Contains("allowed: other, list, find", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownLoadBalancingPolicy_StopsWithMessage()
    {
        _config.Cluster["LoadBalancingPolicy"] = "Psychic";
        _config.Save();

        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains("Psychic", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingYarpJson_StopsWithMessageNamingKey()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await GatewayApplication.RunAsync(["--urls=http://127.0.0.1:0", "--Gateway:YarpConfigPath=does-not-exist.json"], output, error);

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains("Gateway:YarpConfigPath", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] all = [.. args, "--Gateway:ManagementUrls=http://127.0.0.1:0", $"--Gateway:YarpConfigPath={_config.FilePath}"];

        // Later arguments win, so a test's own ManagementUrls must come last.
        var managementOverride = args.LastOrDefault(a => a.StartsWith("--Gateway:ManagementUrls", StringComparison.Ordinal));
        if (managementOverride is not null)
        {
            all = [.. all, managementOverride];
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await GatewayApplication.RunAsync(all, output, error, timeout.Token);
        return (exitCode, error.ToString());
    }
}
