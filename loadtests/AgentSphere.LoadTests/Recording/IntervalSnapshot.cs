namespace AgentSphere.LoadTests.Recording;

/// <summary>The running counters and the latency P99 of the requests completed since the previous snapshot.</summary>
internal readonly record struct IntervalSnapshot(long Sent, long Completed, long Errors, long IntervalCompleted, double IntervalP99Ms)
{
    public long InFlight => Sent - Completed;
}
