using AgentSphere.Gateway.Configuration;
using AgentSphere.Policies.Operations;
using AgentSphere.Policies.Resilience;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Resilience;

/// <summary>Registers the resilience policies and the request timeouts (ASP.NET Core request timeouts, one policy per operation).</summary>
internal static class GatewayResilienceServiceCollectionExtensions
{
    /// <summary>The request-timeout policy name of <paramref name="operation"/>.</summary>
    public static string TimeoutPolicyName(AgentSphereOperation operation) => "agentsphere-" + operation.GetName();

    public static IServiceCollection AddAgentSphereGatewayResilience(this IServiceCollection services)
    {
        services.AddAgentSphereResilience();
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<AgentSphereOptions>, IOptions<ResilienceOptions>>((timeouts, agentSphere, resilience) =>
        {
            var fallback = TimeSpan.FromMilliseconds(agentSphere.Value.TimeoutMs);
            foreach (var operation in AgentSphereOperations.All)
            {
                var timeout = resilience.Value.EffectiveTimeout(operation, fallback);
                timeouts.AddPolicy(TimeoutPolicyName(operation), new RequestTimeoutPolicy
                {
                    Timeout = timeout,
                    TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                });
            }
        });
        return services;
    }
}
