namespace AgentSphere.LoadTests.Workloads;

/// <summary>One request of a workload: what to send, as whom, and the operation it is reported under.</summary>
/// <param name="Operation">Report key, e.g. <c>list</c> or <c>find</c>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query, relative to the target URL.</param>
/// <param name="ApiKey">The caller's <c>X-API-Key</c>.</param>
/// <param name="JsonBody">Body sent as <c>application/json</c>, or null for none.</param>
/// <param name="CaptureBody">Hand the response body to <see cref="Workload.OnCompleted"/> (e.g. to learn a created sandbox's id).</param>
/// <param name="Caller">The caller's index in the workload's <see cref="CallerSet"/>, for the workload's own bookkeeping.</param>
/// <param name="SandboxId">The sandbox the request is about, if any.</param>
internal sealed record WorkloadRequest(
    string Operation,
    HttpMethod Method,
    string Path,
    string ApiKey,
    string? JsonBody = null,
    bool CaptureBody = false,
    int Caller = -1,
    string? SandboxId = null);
