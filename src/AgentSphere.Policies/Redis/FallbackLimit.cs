namespace AgentSphere.Policies.Redis;

/// <summary>The share of a shared limit one instance enforces on its own while Redis is unavailable.</summary>
internal static class FallbackLimit
{
    /// <summary><c>max(1, ceil(limit * share))</c>; a limit of 0 or less stays as it is (nothing is allowed anywhere).</summary>
    public static int Scale(int limit, double share) =>
        limit <= 0 ? limit : (int)Math.Clamp(Math.Ceiling(limit * share), 1, limit);
}
