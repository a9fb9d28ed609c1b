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
        Assert.Contains("Source of Redis:Required: the command line.", error.ToString(), StringComparison.Ordinal);
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

    [Theory]
    [InlineData("--AgentSphere:TimeoutMs=0", "Source of AgentSphere:TimeoutMs: the command line.")]
    [InlineData("--Admission:Caller:MaxConcurrency=0", "Source of Admission:Caller:MaxConcurrency: the command line.")]
    [InlineData("--LoadBalancing:Weights:Cpu=0.95", "Source of LoadBalancing:Weights: the command line.")]
    [InlineData("--Redis:FallbackShare=2", "Source of Redis:FallbackShare: the command line.")]
    public async Task RunAsync_BadOption_MessageNamesWhereTheValueCameFrom(string badArgument, string expectedSource)
    {
        var (exitCode, error) = await RunAsync(badArgument, "--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedSource, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway__Demo__Backends", "0", "Source of Gateway:Demo:Backends: environment variable Gateway__Demo__Backends.")]
    [InlineData("AGENTSPHERE_BATCH_SIZE", "1000", "Source of AgentSphere:BatchSize: environment variable AGENTSPHERE_BATCH_SIZE.")]
    public async Task Startup_BadOptionFromTheEnvironment_MessageNamesTheVariable(string variable, string value, string expectedSource)
    {
        // A process of its own: environment variables are shared by every test running in this one.
        var (exitCode, output) = await GatewayProcess.RunToExitAsync(
            [$"--Gateway:YarpConfigPath={_config.FilePath}"], new Dictionary<string, string> { [variable] = value }, TimeSpan.FromSeconds(60));

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedSource, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadOptionInConfigurationFile_MessageNamesTheFile()
    {
        _config.Document["Admission"] = new JsonObject { ["Global"] = new JsonObject { ["MaxConcurrency"] = -1 } };
        _config.Save();

        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains("Admission:Global:MaxConcurrency (env AGENTSPHERE_CONCURRENT_LIMIT) must be between 1 and 100000; got -1.", error, StringComparison.Ordinal);
        Assert.Contains($"Source of Admission:Global:MaxConcurrency: file {_config.FilePath}.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Admission:Global:MaxConcurency=10", "Admission:Global:MaxConcurency is not a setting; allowed keys in Admission:Global: MaxConcurrency, QueueLimit, ShedThreshold, QueueTimeout, RetryAfter.")]
    [InlineData("--LoadBalancing:Weight:Cpu=0.3", "LoadBalancing:Weight is not a setting; allowed keys in LoadBalancing: Weights, Choices")]
    [InlineData("--LoadBalancing:Weights:Disk=0.1", "LoadBalancing:Weights:Disk is not a setting; allowed keys in LoadBalancing:Weights: Cpu, Memory, Latency, Queue, Compatibility.")]
    [InlineData("--Caching:Store:L1MaxEntrys=5", "Caching:Store:L1MaxEntrys is not a setting; allowed keys in Caching:Store: L1MaxEntries")]
    [InlineData("--Caching:Stor:L1MaxEntries=5", "Caching:Stor is not a setting; allowed keys in Caching: Enabled, DefaultTtlSeconds, VaryByHeaders, Operations, Store.")]
    [InlineData("--Caching:Operations:list:Ttl=5", "Caching:Operations:list:Ttl is not a setting; allowed keys in Caching:Operations:list: Enabled, TtlSeconds.")]
    [InlineData("--Alerts:SystemCpu:Warn=50", "Alerts:SystemCpu:Warn is not a setting; allowed keys in Alerts:SystemCpu: Warning, Critical, Emergency.")]
    [InlineData("--Gateway:Demo:Backend=2", "Gateway:Demo:Backend is not a setting; allowed keys in Gateway:Demo: Enabled, Backends, LatencyScale, Capacity, Seed.")]
    [InlineData("--Redis:Configuration:Host=127.0.0.1", "Redis:Configuration takes a single value, not keys below it (found Redis:Configuration:Host).")]
    [InlineData("--Admission:DailyQuota:Operations:deploy=1", "Admission:DailyQuota:Operations:deploy: Admission:DailyQuota:Operations is a list")]
    [InlineData("--Management:AdminTokn=0123456789abcdef0123", "Management:AdminTokn is not a setting; allowed keys in Management: AdminToken, AllowLoopbackWithoutToken, ProtectMetrics, FailedTokenLimit, FailedTokenWindow.")]
    public async Task RunAsync_UnknownKeyInGatewaySection_StopsWithAllowedKeys(string badArgument, string expectedMessage)
    {
        var (exitCode, error) = await RunAsync(badArgument, "--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef0123", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--LoadBalancing:Weights:Cpu=30", "LoadBalancing:Weights:Cpu must be a number between 0 and 1 (a share of the score); got 30.")]
    [InlineData("--LoadBalancing:Weights:Memory=-0.2", "LoadBalancing:Weights:Memory must be a number between 0 and 1 (a share of the score); got -0.2.")]
    [InlineData("--LoadBalancing:Weights:Queue=NaN", "LoadBalancing:Weights:Queue must be a number between 0 and 1 (a share of the score); got NaN.")]
    [InlineData("--LoadBalancing:Weights:Latency=Infinity", "LoadBalancing:Weights:Latency must be a number between 0 and 1")]
    [InlineData("--LoadBalancing:Weights:Cpu=0.9", "LoadBalancing:Weights must sum to at most 1 (±0.01) and not all be 0, like the seed's 0.3/0.2/0.2/0.2/0.1; got a sum of 1.6 (Cpu=0.9, Memory=0.2, Latency=0.2, Queue=0.2, Compatibility=0.1).")]
    [InlineData("--LoadBalancing:Weights:Cpu=0 --LoadBalancing:Weights:Memory=0 --LoadBalancing:Weights:Latency=0 --LoadBalancing:Weights:Queue=0 --LoadBalancing:Weights:Compatibility=0", "got a sum of 0 (Cpu=0, Memory=0")]
    public async Task RunAsync_BadLoadBalancingWeights_StopsWithSumAndWeights(string badArguments, string expectedMessage)
    {
        var (exitCode, error) = await RunAsync([.. badArguments.Split(' '), "--urls=http://127.0.0.1:0"]);

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Admission:Global:QueueLimit=-1", "Admission:Global:QueueLimit must be between 0 and 100000; got -1.")]
    [InlineData("--Admission:Global:QueueTimeout=-00:00:01", "Admission:Global:QueueTimeout must be between")]
    [InlineData("--Admission:DailyQuota:Limit=-5", "Admission:DailyQuota:Limit (0 turns the quota off) must be between 0 and 100000000; got -5.")]
    [InlineData("--Admission:AnonymousOperations:0=teleport", "Admission:AnonymousOperations:0: 'teleport' is not an operation; allowed: other, list, find")]
    [InlineData("--Admission:DailyQuota:Operations:0=teleport", "Admission:DailyQuota:Operations:0: 'teleport' is not an operation; allowed: other, list, find")]
    [InlineData("--LoadBalancing:Choices=0", "LoadBalancing:Choices must be between 2 and 10; got 0.")]
    [InlineData("--LoadBalancing:LatencyCeilingsMs:teleport=100", "LoadBalancing:LatencyCeilingsMs:teleport names no operation; allowed: other, list, find")]
    [InlineData("--Redis:OperationTimeout=-00:00:01", "Redis:OperationTimeout must be greater than 00:00:00; got -00:00:01.")]
    [InlineData("--Caching:DefaultTtlSeconds=-1", "Caching:DefaultTtlSeconds (env AGENTSPHERE_CACHE_TTL) is -1; allowed: 0 (cache off) to 86400 seconds.")]
    [InlineData("--Caching:Operations:teleport:Enabled=true", "Caching:Operations:teleport: unknown operation 'teleport'; allowed: list, find, connect, monitor.")]
    [InlineData("--Caching:Store:L1MaxEntries=-1", "Caching:Store:L1MaxEntries must be between 1 and 10000000; got -1.")]
    [InlineData("--Resilience:RetryBudgetPercent=-5", "Resilience:RetryBudgetPercent is -5; allowed: 0 to 100 %.")]
    [InlineData("--Resilience:AttemptTimeoutsMs:list=-1", "Resilience:AttemptTimeoutsMs:list is -1; allowed: 0 (no per-attempt timeout) or 50 to 600000 ms.")]
    [InlineData("--Resilience:OperationTimeoutsMs:teleport=1000", "Resilience:OperationTimeoutsMs:teleport: unknown operation; allowed: other, list, find")]
    [InlineData("--Metrics:Window=00:00:01", "Metrics:Window must be whole seconds between 00:00:05 and 00:10:00 (hh:mm:ss); got 00:00:01.")]
    [InlineData("--Alerts:HistorySize=0", "Alerts:HistorySize must be between 1 and 10000; got 0.")]
    [InlineData("--Alerts:SystemCpu:Critical=10", "Alerts:SystemCpu:Critical must be greater than Alerts:SystemCpu:Warning (60); got 10.")]
    [InlineData("--Gateway:Demo:LatencyScale=-1", "Gateway:Demo:LatencyScale must be between 0 and 100; got -1.")]
    [InlineData("--AgentSphere:BatchSize=-3", "AgentSphere:BatchSize (env AGENTSPHERE_BATCH_SIZE) must be between 1 and 100 items; got -3.")]
    public async Task RunAsync_OutOfRangeOrUnknownName_StopsWithAllowedValues(string badArgument, string expectedMessage)
    {
        var (exitCode, error) = await RunAsync(badArgument, "--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Clusters:agentsphere:LoadBalancingPolicy", "Psychic", "ReverseProxy:Clusters:agentsphere:LoadBalancingPolicy is 'Psychic'; allowed: ", "AgentSphereScored")]
    [InlineData("Clusters:agentsphere:HealthCheck:Active:Policy", "Psychic", "ReverseProxy:Clusters:agentsphere:HealthCheck:Active:Policy is 'Psychic'; allowed: ", "AgentSphereHealth")]
    [InlineData("Clusters:agentsphere:HealthCheck:Passive:Policy", "Psychic", "ReverseProxy:Clusters:agentsphere:HealthCheck:Passive:Policy is 'Psychic'; allowed: ", "AgentSphereFailureRate")]
    [InlineData("Clusters:agentsphere:HealthCheck:AvailableDestinationsPolicy", "Psychic", "ReverseProxy:Clusters:agentsphere:HealthCheck:AvailableDestinationsPolicy is 'Psychic'; allowed: ", "HealthyAndUnknown")]
    [InlineData("Clusters:agentsphere:HealthCheck:Active:Timeout", "00:00:00", "ReverseProxy:Clusters:agentsphere:HealthCheck:Active:Timeout is 00:00:00; allowed: a positive duration", "hh:mm:ss")]
    [InlineData("Clusters:agentsphere:HealthCheck:Active:Interval", "-00:00:05", "ReverseProxy:Clusters:agentsphere:HealthCheck:Active:Interval is -00:00:05; allowed: a positive duration", "hh:mm:ss")]
    [InlineData("Clusters:agentsphere:HealthCheck:Passive:ReactivationPeriod", "-00:00:30", "ReverseProxy:Clusters:agentsphere:HealthCheck:Passive:ReactivationPeriod is -00:00:30", "positive")]
    [InlineData("Clusters:agentsphere:HttpRequest:ActivityTimeout", "-00:00:05", "ReverseProxy:Clusters:agentsphere:HttpRequest:ActivityTimeout is -00:00:05", "positive")]
    [InlineData("Clusters:agentsphere:Destinations:sim-1:Address", "127.0.0.1:9", "ReverseProxy:Clusters:agentsphere:Destinations:sim-1:Address is '127.0.0.1:9'; allowed: an absolute http:// or https:// URL", "http://127.0.0.1:3001/")]
    [InlineData("Clusters:agentsphere:Destinations:sim-1:Address", "ftp://127.0.0.1:9/", "ReverseProxy:Clusters:agentsphere:Destinations:sim-1:Address is 'ftp://127.0.0.1:9/'; allowed: an absolute http:// or https:// URL", "https://")]
    [InlineData("Routes:list:ClusterId", "nowhere", "ReverseProxy:Routes:list:ClusterId is 'nowhere', which names no cluster under ReverseProxy:Clusters.", "nowhere")]
    [InlineData("Routes:list:OutputCachePolicy", "forever", "ReverseProxy:Routes:list:OutputCachePolicy is 'forever'; allowed: ", "agentsphere")]
    [InlineData("Routes:list:RateLimiterPolicy", "fast", "ReverseProxy:Routes:list:RateLimiterPolicy is 'fast'; allowed: Default, Disable.", "fast")]
    [InlineData("Routes:list:TimeoutPolicy", "eventually", "ReverseProxy:Routes:list:TimeoutPolicy is 'eventually'; allowed: ", "agentsphere-deploy")]
    [InlineData("Routes:list:AuthorizationPolicy", "admins", "ReverseProxy:Routes:list:AuthorizationPolicy is 'admins'; allowed: Anonymous.", "admins")]
    [InlineData("Routes:list:Timeout", "-00:00:01", "ReverseProxy:Routes:list:Timeout is -00:00:01; allowed: a positive duration", "positive")]
    [InlineData("Routes:list:Metadata:AgentSphere.Operation", "lists", "ReverseProxy:Routes:list:Metadata:AgentSphere.Operation is 'lists'; allowed: other, list, find", "Route 'list'")]
    public async Task RunAsync_InvalidYarpJson_StopsWithFileKeyAndAllowedValues(string path, string value, string expectedMessage, string expectedAllowed)
    {
        JsonNode node = _config.Document["ReverseProxy"]!;
        var segments = path.Split(':');
        foreach (var segment in segments[..^1])
        {
            node = node[segment] ??= new JsonObject();
        }

        node[segments[^1]] = value;
        _config.Save();

        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(_config.FilePath, error, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
        Assert.Contains(expectedAllowed, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedYarpJson_StopsWithMessageNamingFileAndLine()
    {
        _config.WriteRaw("{\n  \"ReverseProxy\": {\n    \"Routes\": { ]\n  }\n}\n");

        var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains($"'{_config.FilePath}' is not valid JSON at line 3, column", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedGatewayJson_StopsWithMessageNamingFileAndLine()
    {
        // A content root of its own, so the gateway reads this config/gateway.json rather than the repository's.
        var root = Directory.CreateTempSubdirectory("agentsphere-root-");
        try
        {
            var file = Path.Combine(root.FullName, "config", "gateway.json");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "// comment\n{\n  \"Gateway\": { \"DiagnosticHeaders\": true,, }\n}\n");

            var (exitCode, error) = await RunAsync("--urls=http://127.0.0.1:0", $"--contentRoot={root.FullName}");

            Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
            Assert.Contains($"'{file}' is not valid JSON at line 3, column", error, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
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
