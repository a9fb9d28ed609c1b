using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Limits;
using AgentSphere.Policies.Operations;
using AgentSphere.Policies.Resilience;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Resilience;

/// <summary>
/// The first step of the proxy pipeline: runs load balancing and forwarding once, and again on another destination (Polly retry with
/// jittered exponential backoff) when <see cref="RetryRules"/> allow it and the <see cref="RetryBudget"/> has a retry left; then
/// turns the gateway's own failures (no destination, unreachable backend, timeout) into problem+json answers.
/// </summary>
/// <remarks>
/// A retry needs the first response not to have reached the client: transport failures never start it, and for a retryable 5xx
/// <see cref="RetryResponseTransform"/> keeps the body back so the response can be reset. Each attempt offers the load balancer
/// only the destinations not tried yet, so it picks the best of the rest. A request body is buffered only for the idempotent
/// calls that carry one (the sandbox timeout call); a connection failure happens before any body is read, so other requests
/// can be retried after one without buffering.
/// </remarks>
internal sealed class ProxyRetryMiddleware
{
    private static readonly ResiliencePropertyKey<HttpContext> ContextKey = new("agentsphere.http-context");
    private static readonly ResiliencePropertyKey<RequestDelegate> NextKey = new("agentsphere.next");

    private readonly RequestDelegate _next;
    private readonly RetryBudget _budget;
    private readonly IOptionsMonitor<AgentSphereOptions> _agentSphere;
    private readonly ResiliencePipeline<AttemptOutcome>? _pipeline;
    private readonly int _maxRetries;
    private readonly IOptionsMonitor<ResilienceOptions> _resilience;
    private readonly TimeProvider _timeProvider;

    public ProxyRetryMiddleware(RequestDelegate next, RetryBudget budget, IOptionsMonitor<AgentSphereOptions> agentSphere, IOptionsMonitor<ResilienceOptions> resilience, TimeProvider timeProvider)
    {
        _resilience = resilience;
        _timeProvider = timeProvider;
        _next = next;
        _budget = budget;
        _agentSphere = agentSphere;

        // The pipeline is built once: a changed retry count or backoff applies after a restart.
        _maxRetries = agentSphere.CurrentValue.RetryAttempts;
        if (_maxRetries > 0)
        {
            _pipeline = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = timeProvider }
                .AddRetry(new RetryStrategyOptions<AttemptOutcome>
                {
                    MaxRetryAttempts = _maxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(resilience.CurrentValue.RetryBaseDelayMs),
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome)),
                })
                .Build();
        }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        _budget.RecordRequest();
        var idempotent = RetryRules.IsIdempotent(context.Request.Method, context.Request.Path);
        var attemptTimeout = idempotent && _maxRetries > 0 ? _resilience.CurrentValue.EffectiveAttemptTimeout(OperationMetadata.Of(context)) : null;
        var attempt = new ProxyAttempt(idempotent, _maxRetries, attemptTimeout);
        context.Features.Set<IAttemptTimeoutFeature>(attempt);
        var proxy = context.GetReverseProxyFeature();
        var all = proxy.AvailableDestinations;
        if (attempt.Idempotent && _maxRetries > 0 && context.Request.ContentLength is > 0)
        {
            context.Request.EnableBuffering();
        }

        // The first attempt runs directly: most requests need nothing more, and skip the retry pipeline's cost. One that may
        // be retried goes to the pipeline, which replays this outcome first and then retries with its backoff.
        BeginAttempt(context, attempt, all);
        using (AttemptWatch.StartIfApplies(context, attempt, _budget, _timeProvider))
        {
            await _next(context);
        }

        var first = EndAttempt(context, attempt);
        if (_pipeline is not null && CouldRetry(context, attempt, first))
        {
            attempt.FirstOutcome = first;
            var resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
            resilience.Properties.Set(ContextKey, context);
            resilience.Properties.Set(NextKey, _next);
            try
            {
                await _pipeline.ExecuteAsync(
                    static async (resilienceContext, state) =>
                    {
                        if (state.Attempt.FirstOutcome is { } replayed)
                        {
                            state.Attempt.FirstOutcome = null;
                            return replayed;
                        }

                        var http = resilienceContext.Properties.GetValue(ContextKey, null!);
                        var next = resilienceContext.Properties.GetValue(NextKey, null!);
                        return await RunAttemptAsync(http, state.Attempt, state.All, next, state.Budget, state.Clock);
                    },
                    resilience,
                    (Attempt: attempt, All: all, Budget: _budget, Clock: _timeProvider));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(resilience);
            }
        }

        await WriteGatewayProblemAsync(context);
    }

    /// <summary>A retry: one more attempt on a destination not tried yet.</summary>
    private static async ValueTask<AttemptOutcome> RunAttemptAsync(HttpContext context, ProxyAttempt attempt, IReadOnlyList<DestinationState> all, RequestDelegate next, RetryBudget budget, TimeProvider timeProvider)
    {
        BeginAttempt(context, attempt, all);
        using (AttemptWatch.StartIfApplies(context, attempt, budget, timeProvider))
        {
            await next(context);
        }

        return EndAttempt(context, attempt);
    }

    /// <summary>Offers the load balancer the destinations not tried yet, after clearing what a previous attempt left behind.</summary>
    private static void BeginAttempt(HttpContext context, ProxyAttempt attempt, IReadOnlyList<DestinationState> all)
    {
        if (attempt.Attempted)
        {
            // A fresh start for this attempt: the previous one's response never reached the client.
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }
        }

        var tried = attempt.Tried;
        var untried = tried is null ? all : all.Where(d => !tried.Contains(d.DestinationId)).ToList();
        context.GetReverseProxyFeature().AvailableDestinations = untried;
        attempt.HasOtherDestination = untried.Count > 1;
        attempt.SuppressedForRetry = false;
        attempt.AttemptTimedOut = false;
    }

    /// <summary>Records where the attempt went and classifies how it ended.</summary>
    private static AttemptOutcome EndAttempt(HttpContext context, ProxyAttempt attempt)
    {
        attempt.RecordAttempt(context.GetReverseProxyFeature().ProxiedDestination?.DestinationId);
        var error = context.Features.Get<IForwarderErrorFeature>();
        var timedOut = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        if (attempt.AttemptTimedOut && !timedOut && !context.Response.HasStarted)
        {
            return AttemptOutcome.AttemptTimedOut;
        }

        return RetryRules.Classify(error?.Error ?? ForwarderError.None, error?.Exception, context.Response.StatusCode, timedOut, context.RequestAborted.IsCancellationRequested && !timedOut);
    }

    /// <summary>Whether the rules allow another attempt after <paramref name="outcome"/>, the budget aside.</summary>
    private static bool CouldRetry(HttpContext context, ProxyAttempt attempt, AttemptOutcome outcome) =>
        !context.Response.HasStarted && RetryRules.MayRetry(outcome, attempt.Idempotent) && attempt.RetriesLeft > 0 && attempt.HasOtherDestination;

    private bool ShouldRetry(ResilienceContext resilience, Outcome<AttemptOutcome> outcome)
    {
        var context = resilience.Properties.GetValue(ContextKey, null!);
        if (outcome.Exception is not null || ProxyAttempt.Of(context) is not { } attempt || !CouldRetry(context, attempt, outcome.Result))
        {
            return false;
        }

        // A held-back 5xx or a cut slow attempt already took its retry from the budget; a transport failure takes one here.
        if (!attempt.SuppressedForRetry && !_budget.TryWithdraw())
        {
            return false;
        }

        attempt.RetriesLeft--;
        return true;
    }

    /// <summary>The gateway's own failures as problem+json (the backend's own errors pass through untouched).</summary>
    private async Task WriteGatewayProblemAsync(HttpContext context)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested && context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested != true)
        {
            return;
        }

        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is not null && RequestLimitProblems.IsBodyTooLarge(error.Exception))
        {
            // A chunked body grew past the operation's limit while it was forwarded: the client's fault, not the backend's.
            context.Response.Clear();
            await RequestLimitProblems.WritePayloadTooLargeAsync(context);
            return;
        }

        var timedOut = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true
            || error?.Error == ForwarderError.RequestTimedOut
            || ProxyAttempt.Of(context) is { AttemptTimedOut: true };
        var suppressed = ProxyAttempt.Of(context) is { SuppressedForRetry: true };
        if (error is null && !timedOut && !suppressed)
        {
            return;
        }

        if (timedOut)
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "Backend timed out",
                "The AgentSphere backend did not answer within this operation's timeout.", "timeout");
        }
        else if (error?.Error == ForwarderError.NoAvailableDestinations)
        {
            // The earliest a backend can come back: the cluster's next health probe.
            var interval = context.GetReverseProxyFeature().Cluster.Config.HealthCheck?.Active?.Interval
                ?? TimeSpan.FromMilliseconds(_agentSphere.CurrentValue.HealthCheckIntervalMs);
            var retryAfter = Math.Max(1, (int)Math.Ceiling(interval.TotalSeconds));
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "No healthy backend",
                "No AgentSphere backend is available; retry after the next health check.", "no-backend");
        }
        else if (suppressed)
        {
            // A retryable 5xx whose body was held back for a retry that then could not run (client gone, or no time left).
            var status = context.Response.StatusCode;
            context.Response.Clear();
            await GatewayProblems.WriteAsync(context, status, "Backend error",
                $"The AgentSphere backend answered {status} and no other backend could take the request.", "backend-error");
        }
        else if (error is not null && error.Error is not (ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient))
        {
            context.Response.Clear();
            await GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Backend unreachable",
                "The AgentSphere backend could not be reached or failed before answering.", "bad-gateway");
        }
    }

    /// <summary>Cuts one slow attempt short, once, if it is still running and the budget gives its retry; disposing it ends the watch and gives the request its own abort token back.</summary>
    private sealed class AttemptWatch : IDisposable
    {
        private readonly ProxyAttempt _attempt;
        private readonly CancellationTokenSource _cancellation;
        private readonly RetryBudget _budget;
        private readonly HttpContext _context;
        private readonly CancellationToken _original;
        private readonly ITimer _timer;
        private int _state; // 0 running, 1 finished, 2 expired

        private AttemptWatch(HttpContext context, ProxyAttempt attempt, RetryBudget budget, TimeProvider timeProvider, TimeSpan limit)
        {
            _attempt = attempt;
            _budget = budget;
            _context = context;
            _original = context.RequestAborted;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(_original);
            context.RequestAborted = _cancellation.Token;
            _timer = timeProvider.CreateTimer(static state => ((AttemptWatch)state!).Expire(), this, limit, Timeout.InfiniteTimeSpan);
        }

        /// <summary>
        /// A watch when the attempt may be cut: it has a per-attempt timeout, and another destination and a retry could take over.
        /// The cut happens only if the budget gives the retry at that moment (so a cut attempt is always retried, never answered 504
        /// for want of a retry); otherwise the attempt runs to the request's own timeout.
        /// </summary>
        public static AttemptWatch? StartIfApplies(HttpContext context, ProxyAttempt attempt, RetryBudget budget, TimeProvider timeProvider) =>
            attempt.AttemptTimeout is { } limit && attempt.HasOtherDestination && attempt.RetriesLeft > 0
                ? new AttemptWatch(context, attempt, budget, timeProvider, limit)
                : null;

        public void Dispose()
        {
            Interlocked.CompareExchange(ref _state, 1, 0);
            _timer.Dispose();
            _context.RequestAborted = _original;
            _cancellation.Dispose();
        }

        private void Expire()
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) != 0 || _context.Response.HasStarted || !_budget.TryWithdraw())
            {
                return;
            }

            // Flagged before the cancellation, so the load signals recorded inside the pipeline count it against the backend.
            _attempt.AttemptTimedOut = true;
            _attempt.SuppressedForRetry = true;
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended as the timer fired (the timer is disposed without waiting for its callback).
            }
        }
    }
}
