using AgentSphere.Policies.Admission;

namespace AgentSphere.Gateway.Admission;

/// <summary>The default <see cref="ICallerIdentityFeature"/>.</summary>
internal sealed class CallerIdentityFeature(string? callerId, string? tenantId) : ICallerIdentityFeature
{
    public string? CallerId { get; } = callerId;

    public string? TenantId { get; } = tenantId;
}
