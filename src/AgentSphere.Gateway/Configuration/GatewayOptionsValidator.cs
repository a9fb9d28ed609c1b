using AgentSphere.Gateway.Forwarding;
using AgentSphere.Gateway.Limits;
using AgentSphere.Gateway.Listeners;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Checks <see cref="GatewayOptions"/>: listener URLs parse and do not collide, TLS files exist, trusted proxies parse, demo values and limits are in range.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        var publicUrls = ParseUrls(errors, "Gateway:PublicUrls (--urls)", options.PublicUrls);
        var managementUrls = ParseUrls(errors, "Gateway:ManagementUrls", options.ManagementUrls);

        foreach (var management in managementUrls)
        {
            if (management.Port != 0 && publicUrls.Any(p => p.Port == management.Port))
            {
                errors.Add($"Gateway:ManagementUrls must not share port {management.Port} with the public URLs; management traffic needs its own listener.");
            }
        }

        if (publicUrls.Concat(managementUrls).Any(u => u.IsHttps))
        {
            ValidateTls(errors, options.Tls);
        }

        if (string.IsNullOrWhiteSpace(options.YarpConfigPath))
        {
            errors.Add("Gateway:YarpConfigPath must name the YARP routes file (default yarp.json).");
        }

        foreach (var entry in options.TrustedProxies)
        {
            if (!TrustedProxies.TryParseEntry(entry, out _))
            {
                errors.Add($"Gateway:TrustedProxies: '{entry}' is neither an IP address nor a CIDR network such as 10.0.0.0/8 (no host bits set after the prefix).");
            }
        }

        var demo = options.Demo;
        if (demo.Backends is < 1 or > 16)
        {
            errors.Add($"Gateway:Demo:Backends must be between 1 and 16; got {demo.Backends}.");
        }

        if (double.IsNaN(demo.LatencyScale) || demo.LatencyScale is < 0 or > 100)
        {
            errors.Add($"Gateway:Demo:LatencyScale must be between 0 and 100; got {demo.LatencyScale}.");
        }

        if (demo.Capacity is < 1 or > 100_000)
        {
            errors.Add($"Gateway:Demo:Capacity must be between 1 and 100000; got {demo.Capacity}.");
        }

        ValidateLimits(errors, options.Limits);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static List<ListenerUrl> ParseUrls(List<string> errors, string key, string? value)
    {
        var urls = new List<ListenerUrl>();
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} must hold at least one URL such as http://127.0.0.1:8080.");
            return urls;
        }

        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ListenerUrl.TryParse(part, out var url, out var error))
            {
                urls.Add(url);
            }
            else
            {
                errors.Add($"{key}: {error}");
            }
        }

        return urls;
    }

    private static void ValidateTls(List<string> errors, TlsOptions tls)
    {
        if (string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            errors.Add("Gateway:Tls:CertificatePath is required when a listener URL is https:// (a PEM or PKCS#12 file).");
            return;
        }

        if (!File.Exists(tls.CertificatePath))
        {
            errors.Add($"Gateway:Tls:CertificatePath: file '{tls.CertificatePath}' does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(tls.KeyPath) && !File.Exists(tls.KeyPath))
        {
            errors.Add($"Gateway:Tls:KeyPath: file '{tls.KeyPath}' does not exist.");
        }
    }

    private static void ValidateLimits(List<string> errors, LimitsOptions limits)
    {
        const string Key = LimitsOptions.SectionName;
        const long GiB = 1024L * 1024 * 1024;
        Range(errors, $"{Key}:MaxRequestBodyBytes", limits.MaxRequestBodyBytes, 0, GiB, "bytes");
        foreach (var (name, bytes) in limits.OperationBodyBytes ?? [])
        {
            if (!AgentSphereOperations.TryParse(name, out _))
            {
                errors.Add($"{Key}:OperationBodyBytes: unknown operation '{name}'; use one of {string.Join(", ", AgentSphereOperations.Names)}.");
            }

            Range(errors, $"{Key}:OperationBodyBytes:{name}", bytes, 0, GiB, "bytes");
        }

        Range(errors, $"{Key}:ManagementBodyBytes", limits.ManagementBodyBytes, 0, 1024 * 1024, "bytes");
        Range(errors, $"{Key}:MaxUrlBytes", limits.MaxUrlBytes, 256, 1024 * 1024, "bytes");
        Range(errors, $"{Key}:MaxRequestHeaderCount", limits.MaxRequestHeaderCount, 8, 1000, "headers");
        Range(errors, $"{Key}:MaxRequestHeadersTotalBytes", limits.MaxRequestHeadersTotalBytes, 1024, 1024 * 1024, "bytes");
        Range(errors, $"{Key}:RequestHeadersTimeout", limits.RequestHeadersTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Range(errors, $"{Key}:KeepAliveTimeout", limits.KeepAliveTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Rate(errors, $"{Key}:MinRequestBodyDataRate", limits.MinRequestBodyDataRate, limits.MinRequestBodyDataRateGracePeriod);
        Rate(errors, $"{Key}:MinResponseDataRate", limits.MinResponseDataRate, limits.MinResponseDataRateGracePeriod);
        if (limits.MaxConcurrentConnections is { } connections)
        {
            Range(errors, $"{Key}:MaxConcurrentConnections", connections, 1, 10_000_000, "connections (or null for unlimited)");
        }

        Range(errors, $"{Key}:Http2MaxStreamsPerConnection", limits.Http2MaxStreamsPerConnection, 1, 1000, "streams");
    }

    private static void Rate(List<string> errors, string key, double bytesPerSecond, TimeSpan grace)
    {
        if (double.IsNaN(bytesPerSecond) || bytesPerSecond is < 0 or > 1_000_000_000)
        {
            errors.Add($"{key} must be between 0 (off) and 1000000000 bytes/s; got {bytesPerSecond}.");
        }

        // Kestrel checks rates on a one-second heartbeat, so a grace period must be longer than that.
        if (grace <= TimeSpan.FromSeconds(1) || grace > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{key}GracePeriod must be over 00:00:01 and at most 00:10:00; got {grace}.");
        }
    }

    private static void Range(List<string> errors, string key, long value, long min, long max, string unit)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max} {unit}; got {value}.");
        }
    }

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max}; got {value}.");
        }
    }
}
