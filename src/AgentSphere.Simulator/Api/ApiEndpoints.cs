
namespace AgentSphere.Simulator.Api;

/// <summary>Maps the E2B control-plane routes, each tagged with its operation.</summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder routes)
    {
        var list = new OperationMetadata(OperationNames.List, FilteredOperation: OperationNames.Find);
        var connect = new OperationMetadata(OperationNames.Connect);
        var monitoring = new OperationMetadata(OperationNames.Monitor);
        var keepAlive = new OperationMetadata(OperationNames.KeepAlive);

        routes.MapGet("/sandboxes", Handle<ListHandlers>(routes, static h => h.ListV1Async)).WithMetadata(list);
        routes.MapGet("/v2/sandboxes", Handle<ListHandlers>(routes, static h => h.ListV2Async)).WithMetadata(list);
        routes.MapPost("/sandboxes", Handle<SandboxHandlers>(routes, static h => h.CreateAsync)).WithMetadata(new OperationMetadata(OperationNames.Deploy));

        // The literal segment outranks {id}, so /sandboxes/metrics never reaches the per-sandbox routes.
        routes.MapGet("/sandboxes/metrics", Handle<MonitorHandlers>(routes, static h => h.ManyMetricsAsync)).WithMetadata(monitoring);
        routes.MapGet("/sandboxes/{id}", Handle<SandboxHandlers>(routes, static h => h.GetAsync)).WithMetadata(connect);
        routes.MapDelete("/sandboxes/{id}", Handle<SandboxHandlers>(routes, static h => h.DeleteAsync)).WithMetadata(new OperationMetadata(OperationNames.Cleanup));
        routes.MapPost("/sandboxes/{id}/timeout", Handle<SandboxHandlers>(routes, static h => h.SetTimeoutAsync)).WithMetadata(keepAlive);
        routes.MapPost("/sandboxes/{id}/refreshes", Handle<SandboxHandlers>(routes, static h => h.RefreshAsync)).WithMetadata(keepAlive);
        routes.MapPost("/sandboxes/{id}/pause", Handle<SandboxHandlers>(routes, static h => h.PauseAsync)).WithMetadata(new OperationMetadata(OperationNames.Lifecycle));
        routes.MapPost("/sandboxes/{id}/resume", Handle<SandboxHandlers>(routes, static h => h.ResumeAsync)).WithMetadata(connect);
        routes.MapPost("/sandboxes/{id}/connect", Handle<SandboxHandlers>(routes, static h => h.ConnectAsync)).WithMetadata(connect);
        routes.MapGet("/sandboxes/{id}/metrics", Handle<MonitorHandlers>(routes, static h => h.MetricsAsync)).WithMetadata(monitoring);
        routes.MapGet("/sandboxes/{id}/logs", Handle<MonitorHandlers>(routes, static h => h.LogsAsync)).WithMetadata(monitoring);
        routes.MapGet("/v2/sandboxes/{id}/logs", Handle<MonitorHandlers>(routes, static h => h.LogsV2Async)).WithMetadata(monitoring);

        routes.MapFallback("{*path}", static context => ApiResults.WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not found"));
        return routes;
    }

    /// <summary>Resolves the handler object on first use, so building the app never validates options early.</summary>
    internal static RequestDelegate Handle<T>(IEndpointRouteBuilder routes, Func<T, RequestDelegate> select)
        where T : notnull
    {
        var services = routes.ServiceProvider;
        RequestDelegate? handler = null;
        return context => (handler ??= select(services.GetRequiredService<T>()))(context);
    }
}
