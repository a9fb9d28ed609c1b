using AgentSphere.Gateway.Listeners;

namespace AgentSphere.Gateway.Management;

/// <summary>The management listener's endpoints.</summary>
internal static class ManagementEndpoints
{
    public static RouteGroupBuilder MapManagementEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithMetadata(ManagementEndpointMetadata.Instance);

        group.MapGet("/healthz", () => TypedResults.Ok(new HealthReport("alive", null, null)));

        group.MapGet("/readyz", (BackendReadiness readiness) =>
        {
            var (healthy, total) = readiness.Count();
            return healthy > 0
                ? Results.Ok(new HealthReport("ready", healthy, total))
                : Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "No healthy backend",
                    detail: $"0 of {total} AgentSphere backends passed their health checks.",
                    extensions: new Dictionary<string, object?> { ["healthyBackends"] = 0, ["backends"] = total });
        });

        group.MapGet("/admin/backends", BackendsEndpoint.Get);

        return group;
    }

    internal sealed record HealthReport(string Status, int? HealthyBackends, int? Backends);
}
