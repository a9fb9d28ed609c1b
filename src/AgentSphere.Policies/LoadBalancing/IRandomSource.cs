namespace AgentSphere.Policies.LoadBalancing;

/// <summary>The randomness of a policy, injectable so tests can script it.</summary>
public interface IRandomSource
{
    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    int Next(int maxExclusive);
}
