namespace AgentSphere.Policies.Admission;

/// <summary>The admission rules a request can be refused by, in the order they are checked.</summary>
public enum AdmissionPolicy
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The global concurrency limit and its priority queue (503: overload).</summary>
    GlobalConcurrency,

    /// <summary>The CPU guard (503: overload).</summary>
    CpuGuard,

    /// <summary>The memory guard (503: overload).</summary>
    MemoryGuard,

    /// <summary>The operation's own concurrency limit (429).</summary>
    OperationConcurrency,

    /// <summary>The caller's concurrency limit (429).</summary>
    CallerConcurrency,

    /// <summary>The caller's daily quota (429).</summary>
    DailyQuota,
}
