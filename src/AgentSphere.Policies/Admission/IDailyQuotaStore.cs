namespace AgentSphere.Policies.Admission;

/// <summary>Counts a caller's quota-counted requests per day, possibly across gateway instances.</summary>
public interface IDailyQuotaStore
{
    /// <summary>Counts one request against <paramref name="limit"/> for the caller in <paramref name="window"/>, unless the limit is already reached.</summary>
    ValueTask<QuotaGrant> TryConsumeAsync(string callerId, QuotaWindow window, int limit, CancellationToken cancellationToken);

    /// <summary>Gives back one request counted by a granted <see cref="TryConsumeAsync"/> (the request did not succeed); never throws.</summary>
    ValueTask RefundAsync(QuotaGrant grant);
}
