using System.Reflection;
using AgentSphere.Gateway.Management;

namespace AgentSphere.Gateway.Dashboard;

/// <summary>Serves the live dashboard at <c>/dashboard</c> on the management listener: one page and its script and styles, embedded in the gateway (no CDN), behind the admin token.</summary>
/// <remarks><c>GET /dashboard?token=...</c> with the right token sets the dashboard's HttpOnly cookie and redirects to <c>/dashboard</c>, so the token leaves the address bar and history; the page then reads <c>/admin/status</c> and <c>/admin/alerts</c> with that cookie.</remarks>
internal static class DashboardEndpoints
{
    private static readonly Assembly Assembly = typeof(DashboardEndpoints).Assembly;

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["index.html"] = ("AgentSphere.Gateway.Dashboard.Assets.index.html", "text/html; charset=utf-8"),
        ["dashboard.js"] = ("AgentSphere.Gateway.Dashboard.Assets.dashboard.js", "text/javascript; charset=utf-8"),
        ["dashboard.css"] = ("AgentSphere.Gateway.Dashboard.Assets.dashboard.css", "text/css; charset=utf-8"),
    };

    public static void MapDashboard(this IEndpointRouteBuilder group)
    {
        group.MapGet("/dashboard", Page);
        group.MapGet("/dashboard/{asset}", Asset).AddEndpointFilter(AdminAuthorization.Filter);
    }

    private static IResult Page(HttpContext context, AdminAuthorization authorization)
    {
        if (context.Request.Query.TryGetValue("token", out var token))
        {
            if (authorization.Authorize(context, token.ToString()) is { } refusal)
            {
                return refusal;
            }

            context.Response.Cookies.Append(AdminAuthorization.CookieName, token.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            return Results.Redirect("/dashboard");
        }

        return authorization.Authorize(context) ?? Serve(context, "index.html");
    }

    private static IResult Asset(HttpContext context, string asset) => Assets.ContainsKey(asset) ? Serve(context, asset) : Results.NotFound();

    private static IResult Serve(HttpContext context, string asset)
    {
        var (resource, contentType) = Assets[asset];
        var stream = Assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";
        return Results.Stream(stream, contentType);
    }
}
