namespace AgentSphere.Simulator.Api;

/// <summary>The authenticated caller of an API request, set as a request feature by the pipeline.</summary>
/// <param name="Team">Lowercase hex SHA-256 of the API key; the key itself is never stored or logged.</param>
internal sealed record ApiCaller(string Team);
