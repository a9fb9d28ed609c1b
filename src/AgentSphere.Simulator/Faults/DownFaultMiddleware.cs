using AgentSphere.Simulator.Control;

namespace AgentSphere.Simulator.Faults;

/// <summary>While the <c>down</c> fault is set, aborts the connection of every request outside <c>/_sim</c>.</summary>
internal sealed class DownFaultMiddleware(RequestDelegate next, FaultState faults)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (faults.Current.Down && !context.Request.Path.StartsWithSegments(ControlEndpoints.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Abort();
            return Task.CompletedTask;
        }

        return next(context);
    }
}
