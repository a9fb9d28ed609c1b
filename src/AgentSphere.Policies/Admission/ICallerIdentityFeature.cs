namespace AgentSphere.Gateway.Admission;

/// <summary>The request's caller, as the admission layer identified it: a hash of the API key, never the key.</summary>
public interface ICallerIdentityFeature
{
    /// <summary>The caller id (<see cref="AgentSphere.Policies.Admission.CallerIdentity"/>), or null for an anonymous request.</summary>
    string? CallerId { get; }
}
