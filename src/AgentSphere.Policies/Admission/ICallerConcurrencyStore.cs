namespace AgentSphere.Policies.Admission;

/// <summary>Counts a caller's requests in service, possibly across gateway instances.</summary>
/// <remarks>Callers are identified by their hashed identity (<see cref="CallerIdentity"/>), never by a raw key.</remarks>
public interface ICallerConcurrencyStore
{
    /// <summary>Takes one of <paramref name="limit"/> slots for <paramref name="callerId"/>, or reports that all are taken. Never waits for a slot.</summary>
    ValueTask<ConcurrencyGrant> TryAcquireAsync(string callerId, int limit, CancellationToken cancellationToken);

    /// <summary>Gives back a slot taken by <see cref="TryAcquireAsync"/>; safe to call once per acquired grant, never throws.</summary>
    ValueTask ReleaseAsync(ConcurrencyGrant grant);
}
