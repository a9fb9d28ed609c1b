using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Caching;

/// <summary>What the response cache stores and for how long (section <c>Caching</c>); the tiers' bounds are in <see cref="ResponseCacheStoreOptions"/>.</summary>
public sealed class ResponseCachingOptions
{
    /// <summary>The configuration section, <c>Caching</c>.</summary>
    public const string SectionName = "Caching";

    /// <summary>The operations whose GET responses may be cached; every other operation is a write or must stay live.</summary>
    public static IReadOnlyList<AgentSphereOperation> CacheableOperations { get; } =
        [AgentSphereOperation.List, AgentSphereOperation.Find, AgentSphereOperation.Connect, AgentSphereOperation.Monitor];

    /// <summary>Whether reads are cached at all; default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time-to-live of cached reads in seconds, 0 to 86400, for operations without their own; 0 turns the cache off. Default 300 (env <c>AGENTSPHERE_CACHE_TTL</c>).</summary>
    public int DefaultTtlSeconds { get; set; } = 300;

    /// <summary>Comma-separated request headers whose values select a different cached response; default <c>Accept,Accept-Encoding</c>.</summary>
    public string VaryByHeaders { get; set; } = "Accept,Accept-Encoding";

    /// <summary>Per-operation settings by operation name (list, find, connect, monitor).</summary>
    public Dictionary<string, OperationCachingOptions> Operations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long <paramref name="operation"/>'s reads are cached, or null when they are not.</summary>
    public TimeSpan? TimeToLive(AgentSphereOperation operation)
    {
        if (!Enabled || DefaultTtlSeconds == 0 || !CacheableOperations.Contains(operation))
        {
            return null;
        }

        Operations.TryGetValue(operation.GetName(), out var settings);
        if (settings?.Enabled == false)
        {
            return null;
        }

        var seconds = settings?.TtlSeconds ?? (operation == AgentSphereOperation.Monitor ? Math.Min(5, DefaultTtlSeconds) : DefaultTtlSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The headers of <see cref="VaryByHeaders"/>, trimmed, without empty entries.</summary>
    public string[] EffectiveVaryByHeaders() =>
        VaryByHeaders.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
