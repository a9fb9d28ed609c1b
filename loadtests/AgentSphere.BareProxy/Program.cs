// A bare YARP reverse proxy, the baseline of loadtests/bench/cache.sh: one route (/{**catch-all}) to one destination,
// default load balancing, HTTP client and forwarders; no admission, cache, metrics, retries or health checks.
//   dotnet AgentSphere.BareProxy.dll --urls http://127.0.0.1:5100 --destination http://127.0.0.1:5000
using Yarp.ReverseProxy.Configuration;

var builder = WebApplication.CreateBuilder(args);
var destination = builder.Configuration["destination"];
if (string.IsNullOrWhiteSpace(destination) || !Uri.TryCreate(destination, UriKind.Absolute, out _))
{
    Console.Error.WriteLine("usage: AgentSphere.BareProxy --urls URL --destination URL");
    return 2;
}

builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig
    {
        ClusterId = "backend",
        Destinations = new Dictionary<string, DestinationConfig> { ["backend-1"] = new() { Address = destination } },
    }]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
