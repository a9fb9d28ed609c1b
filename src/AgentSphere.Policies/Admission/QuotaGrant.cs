namespace AgentSphere.Policies.Admission;

/// <summary>The outcome of <see cref="IDailyQuotaStore.TryConsumeAsync"/>.</summary>
/// <param name="Granted">Whether the request was counted.</param>
/// <param name="CallerId">The hashed caller.</param>
/// <param name="Window">The day the request was counted in.</param>
/// <param name="Used">Requests counted in the window after this attempt.</param>
/// <param name="Limit">The limit the attempt was checked against.</param>
/// <param name="Shared">True when counted in the shared (Redis) store, false when counted locally.</param>
public readonly record struct QuotaGrant(bool Granted, string CallerId, QuotaWindow Window, long Used, long Limit, bool Shared)
{
    /// <summary>Requests left in the window, never negative.</summary>
    public long Remaining => Math.Max(0, Limit - Used);
}
