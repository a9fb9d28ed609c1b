namespace AgentSphere.Gateway.Admission;

/// <summary>The default <see cref="ICallerIdentityFeature"/>.</summary>
internal sealed class CallerIdentityFeature(string? callerId) : ICallerIdentityFeature
{
    public string? CallerId { get; } = callerId;
}
