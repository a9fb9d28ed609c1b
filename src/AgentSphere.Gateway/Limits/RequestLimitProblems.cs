using System.Globalization;
using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AgentSphere.Gateway.Limits;

/// <summary>The 413, 414 and 431 problem+json answers; each names the limit's key and configured value, never a header's value.</summary>
internal static class RequestLimitProblems
{
    /// <summary>Problem type suffix of 413 answers (shared with the <c>Idempotency-Key</c> body limit).</summary>
    public const string PayloadTooLarge = "payload-too-large";

    /// <summary>Problem type suffix of 414 answers.</summary>
    public const string UriTooLong = "uri-too-long";

    /// <summary>Problem type suffix of 431 answers.</summary>
    public const string HeadersTooLarge = "request-headers-too-large";

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is Kestrel's report of a request body over its size limit.</summary>
    public static bool IsBodyTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>413 for a body over the limit the request was given (its <see cref="RequestBodyLimit"/>, else Kestrel's per-request limit).</summary>
    public static Task WritePayloadTooLargeAsync(HttpContext context)
    {
        var limit = context.Features.Get<RequestBodyLimit>()
            ?? new RequestBodyLimit(context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0, "Kestrel's MaxRequestBodySize");
        return WritePayloadTooLargeAsync(context, limit.Bytes, limit.Key);
    }

    /// <summary>413 for a body over <paramref name="bytes"/>, set by <paramref name="key"/>.</summary>
    public static Task WritePayloadTooLargeAsync(HttpContext context, long bytes, string key) =>
        WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The request body exceeds {key} ({Format(bytes)} bytes).", PayloadTooLarge);

    /// <summary>414 for a request target of <paramref name="actual"/> bytes.</summary>
    public static Task WriteUriTooLongAsync(HttpContext context, long actual, int limit) =>
        WriteAsync(context, StatusCodes.Status414UriTooLong, "URL too long",
            $"The request target has {Format(actual)} bytes; {LimitsOptions.SectionName}:MaxUrlBytes allows {Format(limit)}.", UriTooLong);

    /// <summary>431 for too many header lines.</summary>
    public static Task WriteTooManyHeadersAsync(HttpContext context, long actual, int limit) =>
        WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Too many request headers",
            $"The request has {Format(actual)} header lines; {LimitsOptions.SectionName}:MaxRequestHeaderCount allows {Format(limit)}.", HeadersTooLarge);

    /// <summary>431 for a header block of <paramref name="actual"/> bytes.</summary>
    public static Task WriteHeadersTooLargeAsync(HttpContext context, long actual, int limit) =>
        WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
            $"The request headers total {Format(actual)} bytes; {LimitsOptions.SectionName}:MaxRequestHeadersTotalBytes allows {Format(limit)}.", HeadersTooLarge);

    private static Task WriteAsync(HttpContext context, int status, string title, string detail, string problem)
    {
        context.RequestServices.GetRequiredService<GatewayMetrics>().RequestRefused(problem);

        // As Kestrel does for its own rejections: an HTTP/1.x client may still be sending what was refused, so the connection
        // closes after the answer rather than reading (and discarding) the rest. HTTP/2 resets just the stream.
        if (HttpProtocol.IsHttp10(context.Request.Protocol) || HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return GatewayProblems.WriteAsync(context, status, title, detail, problem);
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
