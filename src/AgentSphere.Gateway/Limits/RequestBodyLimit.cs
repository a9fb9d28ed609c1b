namespace AgentSphere.Gateway.Limits;

/// <summary>The body limit that applies to the current request and the key that configures it; set by <see cref="RequestLimitsMiddleware"/>, read where a body read fails as too large.</summary>
internal sealed class RequestBodyLimit(long bytes, string key)
{
    /// <summary>The limit, in bytes.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>The configuration key, for example <c>Gateway:Limits:OperationBodyBytes:deploy</c>.</summary>
    public string Key { get; } = key;
}
