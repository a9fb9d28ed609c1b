namespace AgentSphere.Policies.Admission;

/// <summary>Why a request was refused, and when to try again.</summary>
/// <param name="Policy">The rule that refused it.</param>
/// <param name="Limit">That rule's limit (requests in service, or requests per day).</param>
/// <param name="RetryAfter">When trying again may succeed.</param>
/// <param name="Detail">A sentence for the problem body; never carries a key.</param>
public sealed record AdmissionRejection(AdmissionPolicy Policy, long Limit, TimeSpan RetryAfter, string Detail)
{
    /// <summary>429 for limits and quotas, 503 for overload.</summary>
    public int StatusCode => Policy.GetStatusCode();
}
