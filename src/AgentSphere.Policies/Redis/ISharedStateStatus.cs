namespace AgentSphere.Policies.Redis;

/// <summary>Whether the state gateway instances share (caller limits, quotas) is currently shared, for health and metrics.</summary>
public interface ISharedStateStatus
{
    /// <summary>Not configured (everything local), connected (shared), or unavailable (local until Redis returns).</summary>
    RedisState State { get; }

    /// <summary>Decisions made on local counters because Redis was unreachable, since start.</summary>
    long LocalFallbacks { get; }
}
