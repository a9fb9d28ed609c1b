using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Caching;

public sealed class AgentSphereOutputCachePolicyTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task CacheRequest_ListOfACaller_EnablesCachingKeyedByCallerNotHostTaggedWithTheTenantsLists()
    {
        var (policy, _) = Create();
        var context = Context(AgentSphereOperation.List, "GET", "/sandboxes");

        await policy.CacheRequestAsync(context, default);

        Assert.True(context.EnableOutputCaching);
        Assert.True(context.AllowCacheLookup);
        Assert.True(context.AllowCacheStorage);
        Assert.True(context.AllowLocking);
        Assert.Equal(TimeSpan.FromSeconds(300), context.ResponseExpirationTimeSpan);
        Assert.False(context.CacheVaryByRules.VaryByHost);
        Assert.Equal("caller-1", context.CacheVaryByRules.VaryByValues["caller"]);
        Assert.Equal("*", context.CacheVaryByRules.QueryKeys.ToString());
        Assert.Equal(["Accept", "Accept-Encoding"], context.CacheVaryByRules.HeaderNames.Select(h => h!).ToArray());
        Assert.Equal([ResponseCacheTags.Lists("tenant-1")], context.Tags);
    }

    [Fact]
    public async Task CacheRequest_OneSandbox_IsTaggedWithTheSandboxAndMonitorGetsItsShortTtl()
    {
        var (policy, _) = Create();
        var context = Context(AgentSphereOperation.Monitor, "GET", "/sandboxes/abc/metrics");

        await policy.CacheRequestAsync(context, default);

        Assert.True(context.EnableOutputCaching);
        Assert.Equal(TimeSpan.FromSeconds(5), context.ResponseExpirationTimeSpan);
        Assert.Equal([ResponseCacheTags.Sandbox("abc")], context.Tags);
    }

    [Theory]
    [InlineData(AgentSphereOperation.Connect, "POST", "/sandboxes/abc/connect", "caller-1")]  // a write of a cacheable operation
    [InlineData(AgentSphereOperation.Deploy, "GET", "/sandboxes", "caller-1")]                 // not a cacheable operation
    [InlineData(AgentSphereOperation.Health, "GET", "/health", "caller-1")]
    [InlineData(AgentSphereOperation.List, "GET", "/sandboxes", null)]                         // anonymous
    public async Task CacheRequest_NotACallersCacheableRead_DisablesCaching(AgentSphereOperation operation, string method, string path, string? caller)
    {
        var (policy, _) = Create();
        var context = Context(operation, method, path, caller);

        await policy.CacheRequestAsync(context, default);

        Assert.False(context.EnableOutputCaching);
        Assert.Null(context.HttpContext.Features.Get<IResponseCacheFeature>());
    }

    [Theory]
    [InlineData("Cache-Control", "no-cache", false, true)]
    [InlineData("Cache-Control", "max-age=0, no-cache", false, true)]
    [InlineData("Pragma", "no-cache", false, true)]
    [InlineData("Cache-Control", "no-store", false, false)]
    [InlineData("Cache-Control", "max-age=60", true, true)]
    public async Task CacheRequest_RequestCacheControl_DecidesLookupAndStorage(string header, string value, bool lookup, bool storage)
    {
        var (policy, _) = Create();
        var context = Context(AgentSphereOperation.List, "GET", "/sandboxes");
        context.HttpContext.Request.Headers[header] = value;

        await policy.CacheRequestAsync(context, default);

        Assert.Equal(lookup, context.AllowCacheLookup);
        Assert.Equal(storage, context.AllowCacheStorage);
        Assert.Equal(lookup, context.HttpContext.Features.Get<IResponseCacheFeature>()!.LookedUp);
    }

    [Theory]
    [InlineData(200, null, null, true)]
    [InlineData(404, null, null, false)]
    [InlineData(500, null, null, false)]
    [InlineData(200, "Cache-Control", "no-store", false)]
    [InlineData(200, "Cache-Control", "private, max-age=60", false)]
    [InlineData(200, "Cache-Control", "no-cache", false)]
    [InlineData(200, "Set-Cookie", "session=1", false)]
    [InlineData(200, "Vary", "*", false)]
    [InlineData(200, "Cache-Control", "public, max-age=60", true)]
    public async Task ServeResponse_BackendResponse_IsStoredOnlyWhenItMayBe(int status, string? header, string? value, bool stored)
    {
        var (policy, _) = Create();
        var context = Context(AgentSphereOperation.List, "GET", "/sandboxes");
        await policy.CacheRequestAsync(context, default);
        context.HttpContext.Response.StatusCode = status;
        if (header is not null)
        {
            context.HttpContext.Response.Headers[header] = value;
        }

        await policy.ServeResponseAsync(context, default);

        Assert.Equal(stored, context.AllowCacheStorage);
    }

    [Fact]
    public async Task ServeResponse_AfterAWriteEvictedItsTag_IsNotStored()
    {
        var (policy, store) = Create();
        var context = Context(AgentSphereOperation.List, "GET", "/sandboxes");
        await policy.CacheRequestAsync(context, default);

        // The list was read from the backend before the write's eviction and finishes after it.
        await store.EvictByTagAsync(ResponseCacheTags.Lists("tenant-1"), default);
        context.HttpContext.Response.StatusCode = 200;
        await policy.ServeResponseAsync(context, default);

        Assert.False(context.AllowCacheStorage);
    }

    [Fact]
    public async Task ServeFromCache_MarksTheRequestAHitAndServeResponseMarksItAMiss()
    {
        var (policy, _) = Create();
        var context = Context(AgentSphereOperation.Find, "GET", "/sandboxes");
        await policy.CacheRequestAsync(context, default);
        var feature = context.HttpContext.Features.Get<IResponseCacheFeature>()!;

        await policy.ServeFromCacheAsync(context, default);
        var afterHit = feature.Hit;
        await policy.ServeResponseAsync(context, default);

        Assert.True(afterHit);
        Assert.False(feature.Hit);
        Assert.Equal(AgentSphereOperation.Find, feature.Operation);
    }

    private (AgentSphereOutputCachePolicy Policy, TieredOutputCacheStore Store) Create(ResponseCachingOptions? options = null)
    {
        var store = CacheStores.InMemory(_clock);
        var monitor = new StaticOptionsMonitor<ResponseCachingOptions>(options ?? new ResponseCachingOptions());
        return (new AgentSphereOutputCachePolicy(monitor, store), store);
    }

    private static OutputCacheContext Context(AgentSphereOperation operation, string method, string path, string? caller = "caller-1", string? tenant = "tenant-1")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        http.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(OperationMetadata.For(operation)), "test"));
        if (caller is not null)
        {
            http.Features.Set<ICallerIdentityFeature>(new Identity(caller, tenant));
        }

        return new OutputCacheContext { HttpContext = http };
    }

    private sealed record Identity(string? CallerId, string? TenantId) : ICallerIdentityFeature;

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
