namespace AgentSphere.Policies.Resilience;

/// <summary>What a request holding an <c>Idempotency-Key</c> found: the key is now its own to execute, a first attempt is still running, or it completed.</summary>
/// <param name="State">Which of the three.</param>
/// <param name="Fingerprint">The fingerprint (hash of the request) the key was first used with.</param>
/// <param name="Token">For <see cref="IdempotencyState.Claimed"/>, the token that completes or releases the claim.</param>
/// <param name="Response">For <see cref="IdempotencyState.Completed"/>, the response to replay.</param>
public sealed record IdempotencyClaim(IdempotencyState State, string Fingerprint, string? Token, IdempotentResponse? Response);

/// <summary>The states of an idempotency record.</summary>
public enum IdempotencyState
{
    /// <summary>No record existed: this request executes and completes (or releases) the key.</summary>
    Claimed,

    /// <summary>Another request with the key is executing now.</summary>
    InProgress,

    /// <summary>A request with the key completed; its response is kept for the retention period.</summary>
    Completed,
}
