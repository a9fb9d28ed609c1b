namespace AgentSphere.Gateway.Management;

/// <summary>Who may use the management plane (section <c>Management</c>): <c>/admin/*</c> and <c>/dashboard</c> need the admin token; health probes never do.</summary>
public sealed class ManagementOptions
{
    /// <summary>The configuration section, <c>Management</c>.</summary>
    public const string SectionName = "Management";

    /// <summary>The admin token (at least 16 characters), sent as <c>Authorization: Bearer</c>; none by default, which closes <c>/admin/*</c> and <c>/dashboard</c> (<c>--demo</c> generates one and prints it). Env <c>Management__AdminToken</c>.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Whether requests from a loopback address may use the management plane without the token; default false.</summary>
    public bool AllowLoopbackWithoutToken { get; set; }

    /// <summary>Whether <c>/metrics</c> needs the admin token too; default false (Prometheus scrapes it).</summary>
    public bool ProtectMetrics { get; set; }

    /// <summary>Wrong admin tokens one peer address may send within <see cref="FailedTokenWindow"/> before all its admin requests get 429, 1 to 10000; default 10.</summary>
    public int FailedTokenLimit { get; set; } = 10;

    /// <summary>The window wrong admin tokens are counted in, from a peer's first failure, and how long a peer over the limit is refused; 1 s to 1 day, default 1 minute.</summary>
    public TimeSpan FailedTokenWindow { get; set; } = TimeSpan.FromMinutes(1);
}
