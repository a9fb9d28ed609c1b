namespace AgentSphere.Policies.Admission;

/// <summary>Names of <see cref="AdmissionPolicy"/> as they appear in problem bodies, <c>RateLimit</c> headers and metric labels.</summary>
public static class AdmissionPolicies
{
    private static readonly string[] NamesByValue =
        ["none", "global-concurrency", "cpu-guard", "memory-guard", "operation-concurrency", "caller-concurrency", "daily-quota"];

    /// <summary>Every policy name, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = NamesByValue;

    /// <summary>The name of <paramref name="policy"/>, for example <c>caller-concurrency</c>.</summary>
    public static string GetName(this AdmissionPolicy policy)
    {
        var index = (int)policy;
        return (uint)index < (uint)NamesByValue.Length ? NamesByValue[index] : throw new ArgumentOutOfRangeException(nameof(policy));
    }

    /// <summary>The HTTP status a refusal by <paramref name="policy"/> gets: 503 for overload, 429 for limits and quotas.</summary>
    public static int GetStatusCode(this AdmissionPolicy policy) => policy switch
    {
        AdmissionPolicy.GlobalConcurrency or AdmissionPolicy.CpuGuard or AdmissionPolicy.MemoryGuard => 503,
        AdmissionPolicy.None => 200,
        _ => 429,
    };
}
