using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Listeners;
using AgentSphere.Policies.Operations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Limits;

/// <summary>
/// The first step after routing: answers a request target over <see cref="LimitsOptions.MaxUrlBytes"/> with 414, headers over
/// <see cref="LimitsOptions.MaxRequestHeaderCount"/> or <see cref="LimitsOptions.MaxRequestHeadersTotalBytes"/> with 431, and a
/// <c>Content-Length</c> over the operation's body limit with 413, all before anything is forwarded; then sets the operation's limit
/// as Kestrel's per-request body limit, so a chunked body that grows past it fails its read (mapped to 413 where the read happens).
/// </summary>
internal sealed class RequestLimitsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly LimitsOptions _limits;
    private readonly RequestBodyLimit[] _operationLimits;
    private readonly RequestBodyLimit _managementLimit;

    public RequestLimitsMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
    {
        _next = next;

        // Kestrel's limits are fixed at start-up, so these are too: a change applies after a restart.
        _limits = options.Value.Limits;
        _operationLimits = AgentSphereOperations.All.Select(o => _limits.BodyLimitFor(o)).Select(l => new RequestBodyLimit(l.Bytes, l.Key)).ToArray();
        _managementLimit = new RequestBodyLimit(_limits.ManagementBodyBytes, $"{LimitsOptions.SectionName}:ManagementBodyBytes");
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        long urlBytes = string.IsNullOrEmpty(target)
            ? (request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0)
            : target.Length;
        if (urlBytes > _limits.MaxUrlBytes)
        {
            return RequestLimitProblems.WriteUriTooLongAsync(context, urlBytes, _limits.MaxUrlBytes);
        }

        // As on the wire: one line per value, "name: value\r\n".
        long headerLines = 0, headerBytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            headerLines += values.Count;
            foreach (var value in values)
            {
                headerBytes += name.Length + (value?.Length ?? 0) + 4;
            }
        }

        if (headerLines > _limits.MaxRequestHeaderCount)
        {
            return RequestLimitProblems.WriteTooManyHeadersAsync(context, headerLines, _limits.MaxRequestHeaderCount);
        }

        if (headerBytes > _limits.MaxRequestHeadersTotalBytes)
        {
            return RequestLimitProblems.WriteHeadersTooLargeAsync(context, headerBytes, _limits.MaxRequestHeadersTotalBytes);
        }

        var limit = context.Features.Get<IListenerKindFeature>()?.Kind == ListenerKind.Management
            ? _managementLimit
            : _operationLimits[(int)OperationMetadata.Of(context)];
        if (request.ContentLength > limit.Bytes)
        {
            context.Features.Set(limit);
            return RequestLimitProblems.WritePayloadTooLargeAsync(context, limit.Bytes, limit.Key);
        }

        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = limit.Bytes;
            context.Features.Set(limit);
        }

        return _next(context);
    }
}
