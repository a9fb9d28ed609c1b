using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Diagnostics;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Management;

/// <summary>The admin-token check of the management plane, as an endpoint filter on <c>/admin/*</c>, <c>/dashboard</c> and (when configured) <c>/metrics</c>.</summary>
/// <remarks>
/// The token comes as <c>Authorization: Bearer</c> or in the dashboard's cookie, which <c>GET /dashboard?token=</c> sets (HttpOnly,
/// SameSite=Strict, path /) before redirecting to the clean URL. Tokens are compared as SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither their content nor their length shows in the timing. The token is
/// never logged or echoed. Wrong tokens are counted per peer address (<see cref="AdminTokenFailures"/>): a peer over
/// <c>Management:FailedTokenLimit</c> gets 429 with <c>Retry-After</c> for every management request behind the token, the right one
/// included, until its window ends.
/// </remarks>
internal sealed class AdminAuthorization(IOptionsMonitor<ManagementOptions> options, AdminTokenFailures failures, GatewayMetrics metrics)
{
    public const string CookieName = "agentsphere_admin";

    public static readonly IEndpointFilter Filter = new AdminEndpointFilter();

    /// <summary>Null when the request may use the management plane; otherwise the 429 or 401 to answer with. A wrong token is counted against the peer.</summary>
    public IResult? Authorize(HttpContext context)
    {
        if (Blocked(context) is { } blocked)
        {
            return blocked;
        }

        if (IsAuthorized(context))
        {
            return null;
        }

        if (Presented(context) is { Length: > 0 })
        {
            CountFailure(context);
        }

        return Refuse(context);
    }

    /// <summary>As <see cref="Authorize(HttpContext)"/>, for a token presented some other way (the dashboard's <c>?token=</c>).</summary>
    public IResult? Authorize(HttpContext context, string presented)
    {
        if (Blocked(context) is { } blocked)
        {
            return blocked;
        }

        if (Matches(presented))
        {
            return null;
        }

        CountFailure(context);
        return Refuse(context);
    }

    private IResult? Blocked(HttpContext context)
    {
        if (!failures.IsBlocked(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            return null;
        }

        metrics.AdminRateLimited();
        return new TooManyWrongTokens(retryAfter);
    }

    private void CountFailure(HttpContext context)
    {
        metrics.AdminWrongToken();
        failures.RecordFailure(context.Connection.RemoteIpAddress);
    }

    /// <summary>Whether the request may use the management plane (no rate limit applied).</summary>
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
            if (authorization.Authorize(context.HttpContext) is { } refusal)
            {
                return refusal;
            }

            return await next(context);
        }
    }

    /// <summary>The 429 of a peer that sent too many wrong tokens: no detail about the token, the time left in <c>Retry-After</c>.</summary>
    private sealed class TooManyWrongTokens(TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return GatewayProblems.WriteAsync(
                httpContext,
                StatusCodes.Status429TooManyRequests,
                "Too many wrong admin tokens",
                $"This address sent too many wrong admin tokens (Management:FailedTokenLimit); retry in {seconds} s.",
                "admin-token-rate-limited");
        }
    }
}
