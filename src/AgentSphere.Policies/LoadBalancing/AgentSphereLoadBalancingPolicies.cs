namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Names of the AgentSphere policies, as written in <c>yarp.json</c>.</summary>
public static class AgentSphereLoadBalancingPolicies
{
    /// <summary>The scored load-balancing policy (cluster <c>LoadBalancingPolicy</c>).</summary>
    public const string Scored = "AgentSphereScored";

    /// <summary>The active health policy that also reads the backend's load report (<c>HealthCheck:Active:Policy</c>).</summary>
    public const string ActiveHealth = "AgentSphereHealth";

    /// <summary>The passive health policy that counts 5xx and timeouts, not only transport failures (<c>HealthCheck:Passive:Policy</c>).</summary>
    public const string PassiveHealth = "AgentSphereFailureRate";

    /// <summary>Destination metadata: the only operations a destination may serve, comma-separated (absent: all).</summary>
    public const string AllowedOperationsMetadataKey = "AgentSphere.Operations";

    /// <summary>Destination metadata: operations a destination is preferred for, comma-separated, for example <c>deploy</c> on high-capacity backends.</summary>
    public const string PreferredOperationsMetadataKey = "AgentSphere.PreferredOperations";

    /// <summary>The response header a backend reports its load in: <c>cpu=0.42;memory=0.31;queue=3</c>.</summary>
    public const string LoadHeaderName = "X-AgentSphere-Load";
}
