namespace AgentSphere.LoadTests.Scenarios;

/// <summary>One request of a scenario: what to send, and the operation it is reported under.</summary>
/// <param name="Operation">Report key, e.g. <c>list</c> or <c>find</c>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query, relative to the target URL.</param>
/// <param name="JsonBody">Body sent as <c>application/json</c>, or null for none.</param>
/// <param name="CaptureBody">Hand the response body to <see cref="Scenario.OnCompleted"/> (e.g. to learn a created sandbox's id).</param>
internal sealed record ScenarioRequest(string Operation, HttpMethod Method, string Path, string? JsonBody = null, bool CaptureBody = false);
