using Microsoft.AspNetCore.Routing.Matching;

namespace AgentSphere.Gateway.Listeners;

/// <summary>Drops route candidates that belong to the other listener, so <c>/healthz</c> on the public port still passes through to AgentSphere and the proxy's catch-all never answers on the management port.</summary>
internal sealed class ListenerEndpointSelectorPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the framework's own policies (host, method, YARP's header and query matchers): only filters.
    public override int Order => 10_000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Count > 0;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onManagement = httpContext.Features.Get<IListenerKindFeature>()?.Kind == ListenerKind.Management;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var isManagementEndpoint = candidates[i].Endpoint.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null;
            if (isManagementEndpoint != onManagement)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
