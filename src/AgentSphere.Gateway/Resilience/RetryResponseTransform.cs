using AgentSphere.Policies.Resilience;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace AgentSphere.Gateway.Resilience;

/// <summary>Holds back the body of a retryable 5xx when a retry will follow, so <see cref="ProxyRetryMiddleware"/> can reset the response and try another destination.</summary>
internal sealed class RetryResponseTransform(RetryBudget budget) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddResponseTransform(transform =>
    {
        var http = transform.HttpContext;
        if (transform.ProxyResponse is { } response
            && RetryRules.IsRetryableStatus((int)response.StatusCode)
            && ProxyAttempt.Of(http) is { Idempotent: true, RetriesLeft: > 0, HasOtherDestination: true } attempt
            && !http.RequestAborted.IsCancellationRequested
            && budget.TryWithdraw())
        {
            attempt.SuppressedForRetry = true;
            transform.SuppressResponseBody = true;
        }

        return ValueTask.CompletedTask;
    });
}
