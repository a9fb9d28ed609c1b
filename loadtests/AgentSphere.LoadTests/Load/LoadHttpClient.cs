using System.Net;

namespace AgentSphere.LoadTests.Load;

/// <summary>Creates the one <see cref="HttpClient"/> of a run.</summary>
internal static class LoadHttpClient
{
    /// <summary>A request that has not completed after this long counts as an error (<c>timeout</c>).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// HTTP/1.1 allows one request per connection at a time, so an open loop needs as many connections as requests in
    /// flight; the limit is high enough that the pool never becomes the bottleneck that hides a slow server.
    /// </summary>
    public const int MaxConnectionsPerServer = 4096;

    public static HttpClient Create(Uri target) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = MaxConnectionsPerServer,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
    })
    {
        BaseAddress = target,
        Timeout = RequestTimeout,
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };
}
