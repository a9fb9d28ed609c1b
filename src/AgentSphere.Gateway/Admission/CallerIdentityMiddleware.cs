using AgentSphere.Gateway.Diagnostics;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Operations;

namespace AgentSphere.Gateway.Admission;

/// <summary>Identifies the caller of every proxied request from its API key (a hash, never the key) and answers 401 itself when an operation that needs a key has none.</summary>
internal sealed class CallerIdentityMiddleware
{
    /// <summary>The header that carries the caller's API key (matched case-insensitively, like AgentSphere does).</summary>
    public const string ApiKeyHeader = "X-API-Key";

    private readonly RequestDelegate _next;
    private readonly IAdmissionPolicyInfo _policy;
    private readonly GatewayMetrics _metrics;
    private readonly string? _endUserHeader;
    private readonly CallerIdCache _ids = new();

    public CallerIdentityMiddleware(RequestDelegate next, IAdmissionPolicyInfo policy, GatewayMetrics metrics)
    {
        _next = next;
        _policy = policy;
        _metrics = metrics;
        _endUserHeader = policy.Options.Caller.EndUserHeader is { Length: > 0 } header ? header : null;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>();
        if (metadata is null)
        {
            return _next(context);
        }

        var headers = context.Request.Headers;
        var apiKey = headers[ApiKeyHeader].ToString();
        if (apiKey.Length > 0)
        {
            var endUser = _endUserHeader is null ? string.Empty : headers[_endUserHeader].ToString();
            var (callerId, tenantId) = _ids.Get(apiKey, endUser);
            context.Features.Set<ICallerIdentityFeature>(new CallerIdentityFeature(callerId, tenantId));
            return _next(context);
        }

        if (_policy.IsAnonymous(metadata.Operation))
        {
            context.Features.Set<ICallerIdentityFeature>(new CallerIdentityFeature(null, null));
            return _next(context);
        }

        _metrics.Unauthenticated();
        return GatewayProblems.WriteAsync(
            context,
            StatusCodes.Status401Unauthorized,
            "API key required",
            $"Send your AgentSphere API key in the {ApiKeyHeader} header.",
            "unauthenticated");
    }
}
