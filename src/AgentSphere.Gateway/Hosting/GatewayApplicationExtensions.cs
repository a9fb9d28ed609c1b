using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Caching;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Gateway.Forwarding;
using AgentSphere.Gateway.Limits;
using AgentSphere.Gateway.Management;
using AgentSphere.Gateway.Resilience;
using AgentSphere.Gateway.Routing;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Hosting;

/// <summary>Maps the gateway's request pipeline onto a built <see cref="WebApplication"/>.</summary>
public static class GatewayApplicationExtensions
{
    /// <summary>Maps the management endpoints and the proxy.</summary>
    public static WebApplication MapAgentSphereGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // First, on every listener and before routing: a trusted proxy's X-Forwarded-* become the request's client address,
        // scheme and host; anyone else's forwarding claims and internal headers are dropped before anything reads them.
        app.UseMiddleware<ProxyHeadersMiddleware>();

        // Methods the gateway never forwards (CONNECT, TRACE).
        app.UseMiddleware<MethodGuardMiddleware>();
        app.UseRouting();
        app.MapManagementEndpoints();

        // Right after routing (the body limit is per operation), before a key is checked or anything is buffered: 414, 431 and 413
        // for requests over the configured limits.
        app.UseMiddleware<RequestLimitsMiddleware>();

        // After routing (the operation comes from the matched route): who is calling (401 without a key) and the timer every
        // metric is measured on.
        app.UseMiddleware<CallerIdentityMiddleware>();
        app.UseMiddleware<RequestMetricsMiddleware>();

        // Creates with an Idempotency-Key run at most once per caller and key; a repeat is answered here, before admission,
        // so it takes no slot and no quota.
        app.UseMiddleware<IdempotencyMiddleware>();

        // Reads of routes with OutputCachePolicy "AgentSphere" (set by GatewayProxyConfigFilter) may be answered here, before
        // admission: a hit, or a request waiting for the one miss of its key, costs no backend call and takes no slot.
        app.UseMiddleware<ResponseCacheMiddleware>();
        var caching = app.Services.GetRequiredService<IOptionsMonitor<ResponseCachingOptions>>();
        app.UseWhen(context => ResponseCacheMiddleware.IsCacheableRead(context, caching.CurrentValue), cached => cached.UseOutputCache());
        app.UseMiddleware<AdmissionMiddleware>();

        // Per-operation timeouts (AGENTSPHERE_TIMEOUT, deploy 30 s) for what is forwarded, not for the admission wait.
        app.UseRequestTimeouts();

        var diagnosticHeaders = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.DiagnosticHeaders;
        app.MapReverseProxy(proxy =>
        {
            // Around load balancing, so a retry picks again among the destinations not tried yet.
            proxy.UseMiddleware<ProxyRetryMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
            proxy.UseMiddleware<LoadSignalsMiddleware>();
            if (diagnosticHeaders)
            {
                proxy.Use(AddDiagnosticHeaders);
            }
        })
        .ConfigureEndpoints((endpoint, route) =>
        {
            var name = route.Metadata?.GetValueOrDefault(AgentSphereOperations.MetadataKey);
            var operation = AgentSphereOperations.TryParse(name, out var parsed) ? parsed : AgentSphereOperation.Other;
            endpoint.WithMetadata(OperationMetadata.For(operation));

            // Passthrough routes may stream for long: only AgentSphere's own operations get a timeout.
            if (operation != AgentSphereOperation.Other)
            {
                endpoint.WithRequestTimeout(GatewayResilienceServiceCollectionExtensions.TimeoutPolicyName(operation));
            }
        });

        return app;
    }

    private static Task AddDiagnosticHeaders(HttpContext context, Func<Task> next)
    {
        var destinations = context.Features.Get<IReverseProxyFeature>()?.AvailableDestinations;
        context.Response.Headers["X-AgentSphere-Operation"] = OperationMetadata.Of(context).GetName();
        if (destinations is { Count: 1 })
        {
            context.Response.Headers["X-AgentSphere-Destination"] = destinations[0].DestinationId;
        }

        return next();
    }
}
