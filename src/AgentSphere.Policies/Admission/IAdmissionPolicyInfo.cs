using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Admission;

/// <summary>What the host needs to describe the limits in force (for <c>RateLimit-Policy</c> headers) and to resolve priorities.</summary>
public interface IAdmissionPolicyInfo
{
    /// <summary>The options in force.</summary>
    AdmissionOptions Options { get; }

    /// <summary>Whether <paramref name="operation"/> counts against the daily quota.</summary>
    bool CountsAgainstQuota(AgentSphereOperation operation);

    /// <summary>Whether <paramref name="operation"/> may be called without an API key.</summary>
    bool IsAnonymous(AgentSphereOperation operation);

    /// <summary>The priority of a request: from its operation, or what a trusted caller asks for.</summary>
    RequestPriority ResolvePriority(AgentSphereOperation operation, string? callerId, string? requested);

    /// <summary>The header a trusted caller asks for a priority with.</summary>
    string PriorityHeader { get; }
}
