using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Management;

/// <summary>The admin-token check of the management plane, as an endpoint filter on <c>/admin/*</c>, <c>/dashboard</c> and (when configured) <c>/metrics</c>.</summary>
/// <remarks>
/// The token comes as <c>Authorization: Bearer</c> or in the dashboard's cookie, which <c>GET /dashboard?token=</c> sets (HttpOnly,
/// SameSite=Strict, path /) before redirecting to the clean URL. Tokens are compared as SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither their content nor their length shows in the timing. The token is
/// never logged or echoed.
/// </remarks>
internal sealed class AdminAuthorization(IOptionsMonitor<ManagementOptions> options)
{
    public const string CookieName = "agentsphere_admin";

    public static readonly IEndpointFilter Filter = new AdminEndpointFilter();

    /// <summary>Whether the request may use the management plane.</summary>
    public bool IsAuthorized(HttpContext context)
    {
        var settings = options.CurrentValue;
        if (settings.AllowLoopbackWithoutToken && context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
        {
            return true;
        }

        return settings.AdminToken is { Length: > 0 } expected && Presented(context) is { Length: > 0 } presented && Matches(presented, expected);
    }

    /// <summary>Whether <paramref name="presented"/> is the configured token.</summary>
    public bool Matches(string presented) => options.CurrentValue.AdminToken is { Length: > 0 } expected && Matches(presented, expected);

    private static bool Matches(string presented, string expected)
    {
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string? Presented(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[Bearer.Length..].Trim();
        }

        return context.Request.Cookies.TryGetValue(CookieName, out var cookie) ? cookie : null;
    }

    /// <summary>The 401 every refused management request gets: no detail about why the token did not match.</summary>
    public IResult Refuse(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"agentsphere-gateway\"";
        var configured = !string.IsNullOrEmpty(options.CurrentValue.AdminToken);
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Admin token required",
            detail: configured
                ? "Send the gateway's admin token as 'Authorization: Bearer <token>' (Management:AdminToken)."
                : "No admin token is configured (Management:AdminToken), so the management plane is closed.",
            type: "urn:agentsphere:gateway:problem:admin-token",
            extensions: new Dictionary<string, object?> { ["code"] = StatusCodes.Status401Unauthorized });
    }

    private sealed class AdminEndpointFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var authorization = context.HttpContext.RequestServices.GetRequiredService<AdminAuthorization>();
            if (!authorization.IsAuthorized(context.HttpContext))
            {
                return authorization.Refuse(context.HttpContext);
            }

            return await next(context);
        }
    }
}
