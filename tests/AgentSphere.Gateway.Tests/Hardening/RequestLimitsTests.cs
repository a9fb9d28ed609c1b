using System.Net;
using System.Text;
using System.Text.Json;
using AgentSphere.Gateway.Hosting;
using AgentSphere.Gateway.Tests.Infrastructure;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>The gateway's own request limits (Gateway:Limits) through a real gateway and simulator: 413, 414, 431 with problem+json, and Kestrel's 400 for garbage.</summary>
public sealed class RequestLimitsTests
{
    private const string ProblemType = "urn:agentsphere:gateway:problem:";

    private static readonly string[] SmallLimits =
    [
        "--Gateway:Limits:OperationBodyBytes:deploy=1024",
        "--Gateway:Limits:MaxUrlBytes=1024",
        "--Gateway:Limits:MaxRequestHeaderCount=20",
        "--Gateway:Limits:MaxRequestHeadersTotalBytes=2048",
        "--Gateway:Limits:ManagementBodyBytes=1024",
    ];

    [Fact]
    public async Task Create_ContentLengthOverTheDeployLimit_Gets413AtOnceAndNothingIsForwarded()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);
        await using var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);

        // Headers only: the answer must come without the gateway waiting for the body.
        await connection.SendAsync("POST /sandboxes HTTP/1.1\r\nHost: gw\r\nX-API-Key: limits-caller\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        AssertProblem(response, 413, "payload-too-large");
        Assert.Contains("Gateway:Limits:OperationBodyBytes:deploy (1024 bytes)", response.Body, StringComparison.Ordinal);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Create_ChunkedBodyGrowingOverTheDeployLimit_Gets413Problem()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);

        var response = await SendChunkedCreateAsync(gateway, idempotencyKey: null);

        AssertProblem(response, 413, "payload-too-large");
        Assert.Contains("Gateway:Limits:OperationBodyBytes:deploy (1024 bytes)", response.Body, StringComparison.Ordinal);
        Assert.Equal(0, await CountSandboxesAsync(gateway));
    }

    [Fact]
    public async Task Create_ChunkedBodyOverTheDeployLimitWithIdempotencyKey_Gets413Problem()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);

        var response = await SendChunkedCreateAsync(gateway, idempotencyKey: "limits-key-1");

        AssertProblem(response, 413, "payload-too-large");
        Assert.Contains("Gateway:Limits:OperationBodyBytes:deploy (1024 bytes)", response.Body, StringComparison.Ordinal);
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Create_WithinTheDeployLimit_IsForwarded()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);

        using var response = await Admission.AdmissionTests.CreateAsync(gateway.Client, "limits-caller");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Fact]
    public async Task Request_UrlOverMaxUrlBytes_Gets414Problem()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);

        using var response = await Admission.AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes?metadata=userId%3D" + new string('u', 1500), "limits-caller");

        await AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "uri-too-long", "Gateway:Limits:MaxUrlBytes allows 1024");
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("find"));
        Assert.Contains("agentsphere_gateway_request_refusals_total{reason=\"uri-too-long\"} 1", await gateway.Management.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_TooManyHeaders_Gets431Problem()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);
        var request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes");
        request.Headers.Add("X-API-Key", "limits-caller");
        // 22 more than the key and Host: over the configured 20, under Kestrel's backstop.
        for (var i = 0; i < 22; i++)
        {
            request.Headers.Add($"X-Extra-{i}", "1");
        }

        using var response = await gateway.Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "request-headers-too-large", "Gateway:Limits:MaxRequestHeaderCount allows 20");
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Request_HeadersOverTotalBytes_Gets431ProblemThatNeverEchoesAValue()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);
        var secret = "sk-" + new string('s', 3000);
        var request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes");
        request.Headers.Add("X-API-Key", "limits-caller");
        request.Headers.Add("X-Secret", secret);

        using var response = await gateway.Client.SendAsync(request);

        var body = await AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "request-headers-too-large", "Gateway:Limits:MaxRequestHeadersTotalBytes allows 2048");
        Assert.DoesNotContain("sk-sss", body, StringComparison.Ordinal);
        Assert.DoesNotContain("limits-caller", body, StringComparison.Ordinal);
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Request_UrlFarOverTheLimit_GetsKestrelsBare414FromTheBackstop()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);
        await using var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);

        // Past Kestrel's request-line limit (configured 1024 + 1024 + 64): Kestrel answers before the gateway sees the request.
        await connection.SendAsync($"GET /sandboxes?q={new string('q', 4000)} HTTP/1.1\r\nHost: gw\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(414, response.Status);
        Assert.Equal(string.Empty, response.Body);
        Assert.True(await connection.WaitForCloseAsync(), "Kestrel closes the connection after its own rejection");
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("list"));
    }

    [Fact]
    public async Task Management_BodyOverItsOwnLimit_Gets413Problem()
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);
        await using var connection = await RawHttpConnection.OpenAsync(gateway.Instance.ManagementUri);

        await connection.SendAsync("GET /healthz HTTP/1.1\r\nHost: gw\r\nContent-Length: 4096\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        AssertProblem(response, 413, "payload-too-large");
        Assert.Contains("Gateway:Limits:ManagementBodyBytes (1024 bytes)", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1 trailing\r\nHost: gw\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\nHost: gw\r\nNo colon here\r\n\r\n", 400)]
    [InlineData("GET /he alth HTTP/1.1\r\nHost: gw\r\n\r\n", 400)]
    [InlineData("\u0001\u0002\u0003\u0004\r\n\r\n", 400)]
    [InlineData("POST /sandboxes HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/9.9\r\nHost: gw\r\n\r\n", 505)]
    public async Task Request_MalformedRequestLineOrHead_IsRejectedAndOthersAreStillServed(string garbage, int status)
    {
        await using var gateway = await TestGateway.StartAsync(extraArgs: SmallLimits);
        await using var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);

        await connection.SendAsync(garbage);
        var response = await connection.ReadResponseAsync();
        using var other = await gateway.Client.GetAsync("/health");

        Assert.Equal(status, response.Status);
        Assert.True(await connection.WaitForCloseAsync(), "the connection of a malformed request is closed");
        Assert.True(other.IsSuccessStatusCode, $"another client still served: {other.StatusCode}");
        Assert.Equal(0, gateway.Simulators[0].GetRequestCount("deploy"));
    }

    [Theory]
    [InlineData("--Gateway:Limits:MaxUrlBytes=10", "Gateway:Limits:MaxUrlBytes must be between 256 and 1048576 bytes; got 10.")]
    [InlineData("--Gateway:Limits:OperationBodyBytes:uploads=10", "Gateway:Limits:OperationBodyBytes: unknown operation 'uploads'")]
    [InlineData("--Gateway:Limits:OperationBodyBytes:deploy=-1", "Gateway:Limits:OperationBodyBytes:deploy must be between 0 and")]
    [InlineData("--Gateway:Limits:MinRequestBodyDataRateGracePeriod=00:00:01", "Gateway:Limits:MinRequestBodyDataRateGracePeriod must be over 00:00:01")]
    [InlineData("--Gateway:Limits:Http2MaxStreamsPerConnection=0", "Gateway:Limits:Http2MaxStreamsPerConnection must be between 1 and 1000 streams; got 0.")]
    [InlineData("--Gateway:Limits:MaxConcurrentConnections=0", "Gateway:Limits:MaxConcurrentConnections must be between 1 and")]
    [InlineData("--Gateway:Limits:RequestHeadersTimeout=00:00:00", "Gateway:Limits:RequestHeadersTimeout must be between 00:00:01 and 00:10:00; got 00:00:00.")]
    public async Task RunAsync_BadLimit_StopsWithMessageNamingKeyRangeAndValue(string badArgument, string expectedMessage)
    {
        using var config = YarpConfigFile.Create([("sim-1", new Uri("http://127.0.0.1:9/"))]);
        using var error = new StringWriter();

        // Bounded: a gateway that accepted the value would run until cancelled.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var exitCode = await GatewayApplication.RunAsync(
            ["--urls=http://127.0.0.1:0", "--Gateway:ManagementUrls=http://127.0.0.1:0", $"--Gateway:YarpConfigPath={config.FilePath}", badArgument],
            TextWriter.Null,
            error,
            cancellation.Token);

        Assert.Equal(GatewayApplication.ConfigurationErrorExitCode, exitCode);
        Assert.Contains(expectedMessage, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A create whose chunked body passes 1024 bytes; the last chunk is never sent, so everything sent has been read when the gateway answers.</summary>
    private static async Task<RawHttpResponse> SendChunkedCreateAsync(TestGateway gateway, string? idempotencyKey)
    {
        await using var connection = await RawHttpConnection.OpenAsync(gateway.Instance.PublicUri);
        var head = new StringBuilder("POST /sandboxes HTTP/1.1\r\nHost: gw\r\nX-API-Key: limits-caller\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
        if (idempotencyKey is not null)
        {
            head.Append("Idempotency-Key: ").Append(idempotencyKey).Append("\r\n");
        }

        await connection.SendAsync(head.Append("\r\n").ToString());
        var first = "{\"templateID\":\"base\",\"metadata\":{\"pad\":\"";
        await connection.SendAsync($"{first.Length:x}\r\n{first}\r\n");
        var padding = new string('p', 700);
        await connection.SendAsync($"{padding.Length:x}\r\n{padding}\r\n");
        await connection.SendAsync($"{padding.Length:x}\r\n{padding}\r\n");
        return await connection.ReadResponseAsync();
    }

    private static async Task<int> CountSandboxesAsync(TestGateway gateway)
    {
        using var list = await Admission.AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "limits-caller");
        return JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetArrayLength();
    }

    private static void AssertProblem(RawHttpResponse response, int status, string problem)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(ProblemType + problem, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(status, json.RootElement.GetProperty("code").GetInt32());
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string problem, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(ProblemType + problem, json.RootElement.GetProperty("type").GetString());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return body;
    }
}
