using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Caching;

/// <summary>The gateway's side of the response cache, around the output-cache middleware: says on each cacheable response whether it was a hit, and evicts what a write made stale before the write's response leaves.</summary>
/// <remarks>
/// The eviction runs when the write's response starts, so a client that reads after its write cannot get the list from before it,
/// from this instance or (after the Redis announcement arrives, typically well under a millisecond) from another. Every write method
/// (anything but GET, HEAD, OPTIONS and TRACE) that reached this point evicts unless it was refused with a 4xx: a failed write (5xx,
/// cut off) may have changed something, and an eviction only costs a refill, but a refused one changed nothing, and evicting for it
/// would let one caller empty another's cached sandbox by sending writes with its id that the backend refuses.
/// </remarks>
internal sealed class ResponseCacheMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IResponseCacheInvalidator _invalidator;
    private readonly GatewayMetrics _metrics;
    private readonly IOptionsMonitor<ResponseCachingOptions> _options;
    private readonly Func<object, Task> _markCacheStatus;

    public ResponseCacheMiddleware(RequestDelegate next, IResponseCacheInvalidator invalidator, GatewayMetrics metrics, IOptionsMonitor<ResponseCachingOptions> options)
    {
        _next = next;
        _invalidator = invalidator;
        _metrics = metrics;
        _options = options;
        _markCacheStatus = state => MarkCacheStatus((HttpContext)state);
    }

    /// <summary>Whether the response cache may answer this request: a GET or HEAD of an operation cached by the current settings.</summary>
    /// <remarks>Only these enter the output-cache middleware, which costs a context per request even when it does nothing.</remarks>
    public static bool IsCacheableRead(HttpContext context, ResponseCachingOptions settings) =>
        context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>() is { } metadata
        && IsCacheableRead(context.Request.Method, metadata.Operation, settings);

    private static bool IsCacheableRead(string method, AgentSphereOperation operation, ResponseCachingOptions settings) =>
        (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && settings.TimeToLive(operation) is not null;

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>();
        var method = context.Request.Method;
        if (metadata is null)
        {
            return _next(context);
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            // Only reads the cache may answer get the status header (and its per-request callback).
            if (IsCacheableRead(method, metadata.Operation, _options.CurrentValue))
            {
                context.Response.OnStarting(_markCacheStatus, context);
            }

            return _next(context);
        }

        return context.Features.Get<ICallerIdentityFeature>()?.TenantId is { } tenantId
            ? EvictAfterWriteAsync(context, metadata.Operation, tenantId)
            : _next(context);
    }

    private async Task EvictAfterWriteAsync(HttpContext context, AgentSphereOperation operation, string tenantId)
    {
        var eviction = new WriteEviction(_invalidator, _metrics, operation, tenantId, context.Request.Path);
        context.Response.OnStarting(static state =>
        {
            var (response, eviction) = ((HttpResponse, WriteEviction))state;
            return response.StatusCode is >= 400 and < 500 ? eviction.Skip() : eviction.RunAsync();
        }, (context.Response, eviction));
        try
        {
            await _next(context);
        }
        finally
        {
            // The response never started (the client went away, or a failure ended the request): evict all the same.
            await eviction.RunAsync();
        }
    }

    private Task MarkCacheStatus(HttpContext context)
    {
        if (context.Features.Get<IResponseCacheFeature>() is not { } feature)
        {
            return Task.CompletedTask;
        }

        var headers = context.Response.Headers;
        headers[ResponseCaching.CacheStatusHeader] = feature.Hit ? "HIT" : "MISS";
        if (feature.Hit)
        {
            // A hit took no admission slot: the limits stored with the entry describe another moment.
            headers.Remove(RateLimitHeaders.PolicyHeader);
            headers.Remove(RateLimitHeaders.StateHeader);
        }
        else
        {
            // Fresh from the backend; a hit carries the entry's age, set by the output cache.
            headers.Age = "0";
        }

        _metrics.CacheLookup(feature.Operation, !feature.LookedUp ? CacheLookupResult.Bypass : feature.Hit ? CacheLookupResult.Hit : CacheLookupResult.Miss);
        return Task.CompletedTask;
    }

    private sealed class WriteEviction(IResponseCacheInvalidator invalidator, GatewayMetrics metrics, AgentSphereOperation operation, string tenantId, PathString path)
    {
        private int _started;

        /// <summary>No eviction after all: the write was refused.</summary>
        public Task Skip()
        {
            Interlocked.Exchange(ref _started, 1);
            return Task.CompletedTask;
        }

        public Task RunAsync()
        {
            if (Interlocked.Exchange(ref _started, 1) == 1)
            {
                return Task.CompletedTask;
            }

            metrics.CacheWriteEviction(operation);
            var sandboxId = ResponseCacheTags.TryGetSandboxId(path, out var id) ? id : null;

            // Not tied to the request's abort token: a client that went away still changed what is cached.
            return invalidator.EvictAfterWriteAsync(tenantId, sandboxId, CancellationToken.None).AsTask();
        }
    }
}
