using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Simulator.Tests.Infrastructure;

/// <summary>A real <see cref="SimulatorServer"/> on a loopback port with a fake clock, no latency and a client.</summary>
internal sealed class TestSimulator : IAsyncDisposable
{
    public const string ApiKey = "test-key";

    private TestSimulator(SimulatorServer server, FakeTimeProvider clock)
    {
        Server = server;
        Clock = clock;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatorServer Server { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Client { get; }

    public static async Task<TestSimulator> StartAsync(Action<SimulatorOptions>? configure = null, FakeTimeProvider? clock = null)
    {
        var options = new SimulatorOptions { Name = "sim-test", LatencyScale = 0, Seed = 7 };
        configure?.Invoke(options);
        clock ??= new FakeTimeProvider(TestStore.Start);
        return new TestSimulator(await SimulatorServer.StartAsync(options, clock), clock);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? apiKey = ApiKey)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-KEY", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return Client.SendAsync(request);
    }

    public async Task<string> CreateSandboxAsync(string json = """{"templateID":"base"}""", string apiKey = ApiKey)
    {
        using var response = await SendAsync(HttpMethod.Post, "/sandboxes", json, apiKey);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sandboxID").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
