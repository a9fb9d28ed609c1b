namespace AgentSphere.Policies.Redis;

/// <summary>Where the state shared by gateway instances lives; without <see cref="Configuration"/> every instance keeps its state locally.</summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section, <c>Redis</c>.</summary>
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379,password=...</c>; empty (the default) means no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key the gateway writes; default <c>agentsphere</c>. Instances that share state must share the prefix.</summary>
    public string KeyPrefix { get; set; } = "agentsphere";

    /// <summary>When true, start-up fails if Redis cannot be reached; default false (start on local state and connect later).</summary>
    public bool Required { get; set; }

    /// <summary>How long one Redis command may take before the gateway falls back to local state for it; default 500 ms.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a caller's concurrency slot survives in Redis without renewal, so an instance that dies frees its slots; default 30 s. Slots of running requests are renewed every third of this.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a Redis failure, how long to stay on local state before trying Redis again; default 2 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>While Redis is unreachable, the fraction of each shared limit this instance enforces on its own (0 to 1); default 0.5, right for two instances.</summary>
    public double FallbackShare { get; set; } = 0.5;

    /// <summary>Whether a Redis configuration is present.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}
