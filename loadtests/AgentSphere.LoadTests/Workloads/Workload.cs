namespace AgentSphere.LoadTests.Workloads;

/// <summary>A workload: the request sent at each arrival (open loop) or by each worker (closed loop).</summary>
/// <remarks>
/// The engine decides when requests start, the workload decides what they are. <see cref="Next"/> may be called from
/// several threads at once (closed-loop workers); <see cref="OnCompleted"/> runs on whichever thread finished the
/// request. A workload that chains requests (create, then read and delete what it created) keeps what it learns in a
/// thread-safe structure.
/// </remarks>
internal abstract class Workload
{
    /// <summary>The operations this workload reports, in report order.</summary>
    public abstract IReadOnlyList<string> Operations { get; }

    /// <summary>The operations the overall figures (overall P99, the latency chart) cover.</summary>
    public virtual IReadOnlyList<string> OverallOperations => Operations;

    /// <summary>A short state for the progress line (e.g. the sandbox pool), or empty.</summary>
    public virtual string Status => "";

    /// <summary>The request for the next arrival.</summary>
    public abstract WorkloadRequest Next();

    /// <summary>Called when a request has finished, successfully or not.</summary>
    public virtual void OnCompleted(WorkloadRequest request, RequestOutcome outcome)
    {
    }
}
