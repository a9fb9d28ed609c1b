using System.Text;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Demo;
using AgentSphere.Gateway.Listeners;

namespace AgentSphere.Gateway.Hosting;

/// <summary>A started gateway: the web application, its listeners and, in demo mode, its simulated fleet.</summary>
public sealed class GatewayInstance : IAsyncDisposable
{
    internal GatewayInstance(WebApplication app, DemoFleet? fleet, ConfigFileStatus yarpConfig, string? generatedAdminToken = null)
    {
        GeneratedAdminToken = generatedAdminToken;
        App = app;
        Fleet = fleet;
        YarpConfig = yarpConfig;
        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        PublicUri = listeners.PublicUris[0];
        ManagementUri = listeners.ManagementUris[0];
    }

    /// <summary>The admin token <c>--demo</c> generated (none was configured), or null.</summary>
    public string? GeneratedAdminToken { get; }

    /// <summary>The running web application.</summary>
    public WebApplication App { get; }

    /// <summary>The simulated fleet of <c>--demo</c>, or null.</summary>
    public DemoFleet? Fleet { get; }

    /// <summary>The watched proxy configuration file.</summary>
    public ConfigFileStatus YarpConfig { get; }

    /// <summary>The first public base URL, with its real port.</summary>
    public Uri PublicUri { get; }

    /// <summary>The first management base URL, with its real port.</summary>
    public Uri ManagementUri { get; }

    /// <summary>What an operator needs to know after start-up: where it listens and, in demo mode, how to try it.</summary>
    public string DescribeStartup()
    {
        var publicUrl = PublicUri.ToString().TrimEnd('/');
        var text = new StringBuilder();
        text.AppendLine(Fleet is null ? "AgentSphere Gateway is running." : "AgentSphere Gateway is running in demo mode (simulated backends, in-memory state).");
        text.AppendLine($"  Public URL:      {publicUrl}");
        var managementUrl = ManagementUri.ToString().TrimEnd('/');
        text.AppendLine($"  Management URL:  {managementUrl}  (GET /healthz, /readyz, /metrics; /admin/status, /admin/alerts, /admin/backends, /dashboard with the admin token)");
        if (GeneratedAdminToken is { } token)
        {
            text.AppendLine($"  Admin token:     {token}  (generated for this demo run; set Management:AdminToken to choose one)");
            text.AppendLine($"  Dashboard:       {managementUrl}/dashboard?token={token}");
        }

        text.AppendLine($"  Routes:          {YarpConfig.Path} (reloaded on change)");
        if (Fleet is not null)
        {
            foreach (var server in Fleet.Servers)
            {
                text.AppendLine($"  Backend:         {server.Name} {server.BaseAddress.ToString().TrimEnd('/')}");
            }

            text.AppendLine();
            text.AppendLine("Try it (simulated latency follows the seed report: a create takes about 15 s; --latency-scale 0.01 speeds it up):");
            text.AppendLine($"  curl -i -X POST {publicUrl}/sandboxes -H 'X-API-Key: demo-key' -H 'Content-Type: application/json' -d '{{\"templateID\":\"base\",\"timeout\":300,\"metadata\":{{\"userId\":\"u1\"}}}}'");
            text.AppendLine($"  curl -s '{publicUrl}/sandboxes?metadata=userId%3Du1' -H 'X-API-Key: demo-key'");
        }

        text.AppendLine("Press Ctrl+C to stop.");
        return text.ToString();
    }

    /// <summary>Stops the gateway, then the fleet.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        if (Fleet is not null)
        {
            await Fleet.DisposeAsync().ConfigureAwait(false);
        }
    }
}
