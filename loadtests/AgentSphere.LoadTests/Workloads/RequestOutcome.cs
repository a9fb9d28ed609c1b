using System.Globalization;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>How one request ended: an HTTP status, or a failure without one (timeout, transport error).</summary>
/// <param name="StatusCode">The response status, or null when no response arrived.</param>
/// <param name="Failure">Why no response arrived (<c>timeout</c>, <c>transport-...</c>), or null.</param>
/// <param name="Body">The response body when the request asked for it.</param>
/// <param name="CacheHit">The gateway answered from its cache (<c>X-Cache: HIT</c>).</param>
internal readonly record struct RequestOutcome(int? StatusCode, string? Failure, string? Body = null, bool CacheHit = false)
{
    /// <summary>Only a 2xx response counts as success; everything else is an error.</summary>
    public bool IsSuccess => Failure is null && StatusCode is >= 200 and < 300;

    /// <summary>The key this outcome is counted under in the report: the status code or the failure.</summary>
    public string Label => StatusCode is { } status ? status.ToString(CultureInfo.InvariantCulture) : Failure ?? "unknown";
}
