using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using AgentSphere.Policies.Admission;

namespace AgentSphere.Gateway.Admission;

/// <summary>Writes the IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> headers (draft-ietf-httpapi-ratelimit-headers, structured-field lists) and <c>Retry-After</c>.</summary>
/// <remarks>
/// Each list item is named after its <see cref="AdmissionPolicy"/>. Concurrency limits use the quota unit <c>concurrent-requests</c>
/// and have no window; the daily quota has a window of one day and a reset time in seconds.
/// </remarks>
internal static class RateLimitHeaders
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string StateHeader = "RateLimit";

    // The policy header of admitted requests depends only on the limits in force (a handful of values), so it is built once each.
    private static readonly ConcurrentDictionary<(long Caller, long Quota), string> AdmittedPolicies = new();

    // The caller-concurrency state of an admitted request, formatted once for the usual small remainders.
    private static readonly string[] CallerStates = [.. Enumerable.Range(0, 64).Select(r => string.Create(CultureInfo.InvariantCulture, $"\"caller-concurrency\";r={r}"))];

    /// <summary>Headers for an admitted request: the caller's concurrency and, for counted operations, the daily quota.</summary>
    public static void WriteAdmitted(IHeaderDictionary headers, AdmissionTicket ticket, TimeProvider timeProvider)
    {
        if (ticket.Caller is not { } caller)
        {
            return;
        }

        var quota = ticket.Quota;
        headers[PolicyHeader] = AdmittedPolicies.GetOrAdd((caller.Limit, quota?.Limit ?? -1), static limits =>
        {
            var policy = new StringBuilder(96);
            var unused = new StringBuilder(64);
            AppendConcurrency(policy, unused, AdmissionPolicy.CallerConcurrency, limits.Caller, 0);
            if (limits.Quota >= 0)
            {
                AppendQuota(policy, unused, limits.Quota, 0, 0);
            }

            return policy.ToString();
        });

        var callerState = caller.Remaining is >= 0 and < 64
            ? CallerStates[caller.Remaining]
            : string.Create(CultureInfo.InvariantCulture, $"\"caller-concurrency\";r={caller.Remaining}");
        headers[StateHeader] = quota is { } counted
            ? string.Create(CultureInfo.InvariantCulture, $"{callerState}, \"daily-quota\";r={counted.Remaining};t={Seconds(counted.Window.End - timeProvider.GetUtcNow())}")
            : callerState;
    }

    /// <summary>Headers for a refused request: the violated policy with nothing remaining, and <c>Retry-After</c>.</summary>
    public static void WriteRejected(IHeaderDictionary headers, AdmissionRejection rejection)
    {
        var seconds = Seconds(rejection.RetryAfter);
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var policy = new StringBuilder(64);
        var state = new StringBuilder(64);
        if (rejection.Policy == AdmissionPolicy.DailyQuota)
        {
            AppendQuota(policy, state, rejection.Limit, 0, seconds);
        }
        else
        {
            AppendConcurrency(policy, state, rejection.Policy, rejection.Limit, 0);
            state.Append(";t=").Append(seconds.ToString(CultureInfo.InvariantCulture));
        }

        headers[PolicyHeader] = policy.ToString();
        headers[StateHeader] = state.ToString();
    }

    private static void AppendConcurrency(StringBuilder policy, StringBuilder state, AdmissionPolicy name, long limit, long remaining)
    {
        Separate(policy, state);
        policy.Append('"').Append(name.GetName()).Append("\";q=").Append(limit.ToString(CultureInfo.InvariantCulture)).Append(";qu=\"concurrent-requests\"");
        state.Append('"').Append(name.GetName()).Append("\";r=").Append(remaining.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendQuota(StringBuilder policy, StringBuilder state, long limit, long remaining, long resetSeconds)
    {
        Separate(policy, state);
        var name = AdmissionPolicy.DailyQuota.GetName();
        policy.Append('"').Append(name).Append("\";q=").Append(limit.ToString(CultureInfo.InvariantCulture)).Append(";w=86400");
        state.Append('"').Append(name).Append("\";r=").Append(remaining.ToString(CultureInfo.InvariantCulture))
            .Append(";t=").Append(resetSeconds.ToString(CultureInfo.InvariantCulture));
    }

    private static void Separate(StringBuilder policy, StringBuilder state)
    {
        if (policy.Length > 0)
        {
            policy.Append(", ");
            state.Append(", ");
        }
    }

    /// <summary>Whole seconds, rounded up, at least 1: a client told 0 would retry at once.</summary>
    private static long Seconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalSeconds));
}
