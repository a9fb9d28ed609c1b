using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AgentSphere.Policies.Caching;

/// <summary>The output-cache policy of AgentSphere reads: per caller, per operation TTL, tagged for eviction by writes, and never for what must not be stored.</summary>
/// <remarks>
/// The key is the caller id (a hash of the API key), the method, the path (case-sensitive: sandbox ids are), every query parameter
/// (names sorted case-insensitively, the way the framework normalises them) and the configured request headers; never the host, so every
/// instance computes the same key for the Redis tier. Only GET and HEAD of an authenticated caller on an operation with a TTL are
/// cached. A request with <c>Cache-Control: no-cache</c> (or <c>Pragma: no-cache</c>) skips the lookup but may refresh the entry;
/// <c>no-store</c> skips both. Only a 200 is stored, and not when the backend says <c>no-store</c>, <c>no-cache</c> or <c>private</c>,
/// sets a cookie or varies by everything. Concurrent misses for one key wait for the first (the framework's request locking), so a
/// burst makes one backend call. An entry is tagged with the tenant's lists or with its sandbox; a write evicts those tags
/// (<see cref="IResponseCacheInvalidator"/>), and a response read before such an eviction but finished after it is not stored.
/// </remarks>
internal sealed class AgentSphereOutputCachePolicy(IOptionsMonitor<ResponseCachingOptions> options, TieredOutputCacheStore store) : IOutputCachePolicy
{
    private const string CallerVaryKey = "caller";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var operation = OperationMetadata.Of(http);
        var settings = options.CurrentValue;
        var identity = http.Features.Get<ICallerIdentityFeature>();
        if (settings.TimeToLive(operation) is not { } timeToLive
            || identity?.CallerId is not { } callerId
            || identity.TenantId is not { } tenantId
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            context.EnableOutputCaching = false;
            return ValueTask.CompletedTask;
        }

        var noStore = HeaderUtilities.ContainsCacheDirective(request.Headers.CacheControl, CacheControlHeaderValue.NoStoreString);
        var noCache = noStore
            || HeaderUtilities.ContainsCacheDirective(request.Headers.CacheControl, CacheControlHeaderValue.NoCacheString)
            || (StringValues.IsNullOrEmpty(request.Headers.CacheControl) && HeaderUtilities.ContainsCacheDirective(request.Headers.Pragma, CacheControlHeaderValue.NoCacheString));

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = !noCache;
        context.AllowCacheStorage = !noStore;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = timeToLive;

        var vary = context.CacheVaryByRules;
        vary.VaryByHost = false;
        vary.QueryKeys = "*";
        vary.HeaderNames = settings.EffectiveVaryByHeaders();
        vary.VaryByValues[CallerVaryKey] = callerId;

        var tag = ResponseCacheTags.TryGetSandboxId(request.Path, out var sandboxId)
            ? ResponseCacheTags.Sandbox(sandboxId)
            : ResponseCacheTags.Lists(tenantId);
        context.Tags.Add(tag);
        http.Features.Set<IResponseCacheFeature>(new ResponseCacheFeature(operation, !noCache, tag, store.TagGeneration(tag)));
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.HttpContext.Features.Get<IResponseCacheFeature>() is ResponseCacheFeature feature)
        {
            feature.Hit = true;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var feature = context.HttpContext.Features.Get<IResponseCacheFeature>() as ResponseCacheFeature;
        if (feature is not null)
        {
            // This request went to the backend (an entry found but no longer fresh counts as a miss).
            feature.Hit = false;
        }

        var response = context.HttpContext.Response;
        var cacheControl = response.Headers.CacheControl;
        if (response.StatusCode != StatusCodes.Status200OK
            || HeaderUtilities.ContainsCacheDirective(cacheControl, CacheControlHeaderValue.NoStoreString)
            || HeaderUtilities.ContainsCacheDirective(cacheControl, CacheControlHeaderValue.NoCacheString)
            || HeaderUtilities.ContainsCacheDirective(cacheControl, CacheControlHeaderValue.PrivateString)
            || !StringValues.IsNullOrEmpty(response.Headers.SetCookie)
            || string.Equals(response.Headers.Vary, "*", StringComparison.Ordinal)
            || (feature is not null && store.TagGeneration(feature.Tag) != feature.TagGeneration))
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}
