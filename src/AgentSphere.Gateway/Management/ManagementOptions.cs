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
}
