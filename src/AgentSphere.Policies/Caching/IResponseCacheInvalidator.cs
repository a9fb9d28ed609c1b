namespace AgentSphere.Policies.Caching;

/// <summary>Evicts what a write made stale from every tier and, through Redis, from every gateway instance.</summary>
public interface IResponseCacheInvalidator
{
    /// <summary>Evicts the tenant's cached lists and, when the write was about one sandbox, every cached response about it. Never throws because of Redis.</summary>
    ValueTask EvictAfterWriteAsync(string tenantId, string? sandboxId, CancellationToken cancellationToken);
}
