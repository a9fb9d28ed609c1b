using Microsoft.AspNetCore.OutputCaching;

namespace AgentSphere.Policies.Caching;

/// <summary>The default <see cref="IResponseCacheInvalidator"/>: tag evictions in the output cache store.</summary>
internal sealed class ResponseCacheInvalidator(IOutputCacheStore store) : IResponseCacheInvalidator
{
    public async ValueTask EvictAfterWriteAsync(string tenantId, string? sandboxId, CancellationToken cancellationToken)
    {
        var lists = store.EvictByTagAsync(ResponseCacheTags.Lists(tenantId), cancellationToken);
        if (!string.IsNullOrEmpty(sandboxId))
        {
            await store.EvictByTagAsync(ResponseCacheTags.Sandbox(sandboxId), cancellationToken);
        }

        await lists;
    }
}
