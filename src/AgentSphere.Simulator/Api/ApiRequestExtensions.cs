using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Api;

/// <summary>Reads what the API pipeline and routing established for a request.</summary>
internal static class ApiRequestExtensions
{
    /// <summary>The caller's team (hash of its API key), set by <see cref="ApiPipelineMiddleware"/>.</summary>
    public static string GetTeam(this HttpContext context) =>
        (context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The API pipeline did not authenticate this request.")).Team;

    /// <summary>The <c>{id}</c> route value with the SDK's <c>-{clientID}</c> suffix removed.</summary>
    public static string GetSandboxId(this HttpContext context) =>
        SandboxIds.Normalize(context.Request.RouteValues["id"] as string ?? string.Empty);
}
