using AgentSphere.Gateway.Limits;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Where the gateway listens and where it finds its proxy configuration (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Public listener URLs, separated by ';'. Default <c>http://127.0.0.1:8080</c>; the standard <c>--urls</c> switch sets it.</summary>
    public string PublicUrls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Management listener URLs (health, metrics, admin), separated by ';'. Default <c>http://127.0.0.1:8081</c>; must not share a port with <see cref="PublicUrls"/>.</summary>
    public string ManagementUrls { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Path of the YARP routes and clusters file, relative to the content root. Default <c>yarp.json</c>; reloaded on change.</summary>
    public string YarpConfigPath { get; set; } = "yarp.json";

    /// <summary>Adds <c>X-AgentSphere-Operation</c> and <c>X-AgentSphere-Destination</c> to responses, for debugging routing. Default off.</summary>
    public bool DiagnosticHeaders { get; set; }

    /// <summary>IP addresses and CIDR networks (e.g. <c>10.0.0.0/8</c>) of reverse proxies whose <c>X-Forwarded-*</c> and priority headers are honoured; default empty (no proxy trusted).</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>TLS for <c>https://</c> listener URLs.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The embedded simulated fleet used by <c>--demo</c>.</summary>
    public DemoOptions Demo { get; set; } = new();

    /// <summary>Request size limits, slow-client timeouts and HTTP/2 limits.</summary>
    public LimitsOptions Limits { get; set; } = new();
}

/// <summary>The certificate served on <c>https://</c> listeners (section <c>Gateway:Tls</c>).</summary>
public sealed class TlsOptions
{
    /// <summary>Certificate file: PEM (with <see cref="KeyPath"/>) or PKCS#12 (.pfx/.p12, with <see cref="Password"/>). No default.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file for a PEM certificate. No default.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PKCS#12 certificate or an encrypted PEM key. No default.</summary>
    public string? Password { get; set; }
}

/// <summary>The in-process simulated fleet of <c>--demo</c> (section <c>Gateway:Demo</c>).</summary>
public sealed class DemoOptions
{
    /// <summary>Runs the embedded fleet and in-memory state instead of the clusters' configured destinations. Default off; <c>--demo</c> turns it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>Number of simulated backends, 1 to 16. Default 3.</summary>
    public int Backends { get; set; } = 3;

    /// <summary>Multiplier of the seed's latency profile, 0 to 100 (0 = no simulated latency). Default 1.</summary>
    public double LatencyScale { get; set; } = 1.0;

    /// <summary>Service slots per simulated backend, 1 to 100000. Default 100.</summary>
    public int Capacity { get; set; } = 100;

    /// <summary>Seed of the first backend's random source (the others add 1, 2, ...). Default 42, so demos are reproducible.</summary>
    public int Seed { get; set; } = 42;
}
