namespace AgentSphere.Policies.Admission;

/// <summary>The outcome of <see cref="ICallerConcurrencyStore.TryAcquireAsync"/>.</summary>
/// <param name="Acquired">Whether a slot was taken.</param>
/// <param name="CallerId">The hashed caller the slot belongs to.</param>
/// <param name="InUse">Slots in use for the caller after this attempt (including this one when acquired).</param>
/// <param name="Limit">The limit the attempt was checked against.</param>
/// <param name="LeaseId">Identifies the slot for release; null when not acquired.</param>
/// <param name="Shared">True when counted in the shared (Redis) store, false when counted locally.</param>
public readonly record struct ConcurrencyGrant(bool Acquired, string CallerId, int InUse, int Limit, string? LeaseId, bool Shared)
{
    /// <summary>Slots left for the caller, never negative.</summary>
    public int Remaining => Math.Max(0, Limit - InUse);
}
