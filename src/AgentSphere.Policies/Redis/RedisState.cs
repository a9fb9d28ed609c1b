namespace AgentSphere.Policies.Redis;

/// <summary>Whether the gateway currently counts shared state in Redis.</summary>
public enum RedisState
{
    /// <summary>No <c>Redis:Configuration</c>: every instance keeps its state locally.</summary>
    NotConfigured = 0,

    /// <summary>Connected and in use for shared state.</summary>
    Connected = 1,

    /// <summary>Configured but not reachable (still connecting, disconnected, or backing off after a failure); state is kept locally meanwhile.</summary>
    Unavailable = 2,
}
