namespace AgentSphere.Policies.Admission;

/// <summary>The request's caller, as the gateway identified it from its API key: hashes, never the key.</summary>
public interface ICallerIdentityFeature
{
    /// <summary>The caller id (<see cref="CallerIdentity"/> of the key and, when configured, the end user), or null for an anonymous request.</summary>
    string? CallerId { get; }

    /// <summary>The id of the API key alone (<see cref="CallerIdentity"/> without the end user): the tenant whose sandboxes the caller sees; null when anonymous.</summary>
    string? TenantId { get; }
}
