using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Admission;

/// <summary>What the admission layer needs to know about a request.</summary>
/// <param name="Operation">The request's operation.</param>
/// <param name="CallerId">The hashed caller (<see cref="CallerIdentity"/>), or null for an anonymous operation.</param>
/// <param name="Priority">The request's priority.</param>
public readonly record struct AdmissionRequest(AgentSphereOperation Operation, string? CallerId, RequestPriority Priority);
