using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>A small Kestrel backend on loopback port 0 that records every request's headers and answers 200 with the response headers a test sets.</summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingBackend(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The headers of every request received, in arrival order; each name maps to its values joined with ", ".</summary>
    public ConcurrentQueue<Dictionary<string, string>> Requests { get; } = new();

    /// <summary>Headers added to every response (set before the requests are sent).</summary>
    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> LastRequest => Requests.LastOrDefault() ?? throw new Xunit.Sdk.XunitException("the backend received no request");

    public static async Task<RecordingBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        RecordingBackend? backend = null;
        app.Run(async context =>
        {
            backend!.Requests.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            foreach (var (name, value) in backend.ResponseHeaders)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"ok":true}""");
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        backend = new RecordingBackend(app, new Uri($"http://127.0.0.1:{address.Port}/"));
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
