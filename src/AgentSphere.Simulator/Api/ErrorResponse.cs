namespace AgentSphere.Simulator.Api;

/// <summary>The body of every error: <c>{"code": status, "message": "..."}</c>.</summary>
internal sealed record ErrorResponse(int Code, string Message);
