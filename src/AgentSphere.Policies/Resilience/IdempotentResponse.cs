namespace AgentSphere.Policies.Resilience;

/// <summary>The response a create with an <c>Idempotency-Key</c> got the first time, replayed to every repeat.</summary>
/// <param name="StatusCode">The status.</param>
/// <param name="ContentType">Its <c>Content-Type</c>, if any.</param>
/// <param name="Location">Its <c>Location</c>, if any.</param>
/// <param name="Body">The body.</param>
public sealed record IdempotentResponse(int StatusCode, string? ContentType, string? Location, byte[] Body);
