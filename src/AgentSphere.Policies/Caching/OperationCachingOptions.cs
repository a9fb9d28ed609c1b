namespace AgentSphere.Policies.Caching;

/// <summary>Caching of one operation's reads (section <c>Caching:Operations:{operation}</c>); unset values take the operation's default.</summary>
public sealed class OperationCachingOptions
{
    /// <summary>Whether the operation's GET responses are cached; default true for list, find, connect and monitor, which are the only ones allowed.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Time-to-live in seconds, 1 to 86400; default <see cref="ResponseCachingOptions.DefaultTtlSeconds"/> (monitor: 5).</summary>
    public int? TtlSeconds { get; set; }
}
