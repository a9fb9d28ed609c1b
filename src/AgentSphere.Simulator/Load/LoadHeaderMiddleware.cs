
namespace AgentSphere.Simulator.Load;

/// <summary>Adds <c>X-AgentSphere-Load</c> to every response, errors and <c>/health</c> included.</summary>
internal sealed class LoadHeaderMiddleware(RequestDelegate next, LoadMonitor monitor)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(
            static state =>
            {
                var (ctx, loadMonitor) = ((HttpContext, LoadMonitor))state;
                ctx.Response.Headers[LoadMonitor.HeaderName] = LoadMonitor.FormatHeader(loadMonitor.GetLoad());
                return Task.CompletedTask;
            },
            (context, monitor));
        return next(context);
    }
}
