namespace AgentSphere.LoadTests.Workloads;

/// <summary>A live sandbox of the pool.</summary>
/// <param name="Caller">Index of the caller that created it; only that caller's key can reach it.</param>
/// <param name="Id">Its <c>sandboxID</c>.</param>
/// <param name="CreatedAt">When its create returned.</param>
internal readonly record struct PooledSandbox(int Caller, string Id, DateTimeOffset CreatedAt);
