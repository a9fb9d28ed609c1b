namespace AgentSphere.Policies.LoadBalancing;

/// <summary>The process-wide thread-safe random: no lock, no allocation.</summary>
internal sealed class SharedRandomSource : IRandomSource
{
    public int Next(int maxExclusive) => Random.Shared.Next(maxExclusive);
}
