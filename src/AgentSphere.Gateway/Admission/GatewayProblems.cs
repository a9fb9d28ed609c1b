using AgentSphere.Policies.Admission;

namespace AgentSphere.Gateway.Admission;

/// <summary>Writes the gateway's own problem+json answers, with AgentSphere's <c>code</c> and <c>message</c> members beside the RFC 9457 ones.</summary>
internal static class GatewayProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string problem, AdmissionRejection? policy = null)
    {
        // code and message as well: AgentSphere's own error shape, which existing SDKs read.
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = status, ["message"] = detail };
        if (policy is not null)
        {
            extensions["policy"] = policy.Policy.GetName();
            extensions["limit"] = policy.Limit;
            extensions["retryAfterSeconds"] = Math.Max(1, (long)Math.Ceiling(policy.RetryAfter.TotalSeconds));
        }

        return Results.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            type: "urn:agentsphere:gateway:problem:" + problem,
            extensions: extensions).ExecuteAsync(context);
    }
}
