namespace AgentSphere.Simulator.Api;

/// <summary>A parsed JSON body (null when absent and optional) or the reason it was rejected.</summary>
internal readonly record struct RequestBodyResult<T>(T? Value, string? Error)
    where T : class;
