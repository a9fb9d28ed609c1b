namespace AgentSphere.Policies.Resilience;

/// <summary>Remembers, per caller and <c>Idempotency-Key</c>, whether a create ran and what it answered: in Redis when configured (so it holds across instances), else in memory.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key for a request with <paramref name="fingerprint"/> for <paramref name="lease"/>, or reports the record that holds it.</summary>
    ValueTask<IdempotencyClaim> TryClaimAsync(string callerId, string key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Stores the response of the claimed request, kept for <paramref name="retention"/>.</summary>
    ValueTask CompleteAsync(string callerId, string key, string token, string fingerprint, IdempotentResponse response, TimeSpan retention);

    /// <summary>Gives the key back: the claimed request did not execute (no backend was reachable), so a repeat may.</summary>
    ValueTask ReleaseAsync(string callerId, string key, string token);
}
