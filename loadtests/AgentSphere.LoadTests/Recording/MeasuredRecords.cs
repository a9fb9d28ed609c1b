using HdrHistogram;

namespace AgentSphere.LoadTests.Recording;

/// <summary>Copies of what a <see cref="Recorder"/> measured over a set of phases.</summary>
/// <param name="Operations">Per operation, in report order.</param>
/// <param name="Overall">The sum over the workload's overall operations (the headline P99).</param>
/// <param name="All">The sum over every operation.</param>
/// <param name="SendLag">How late requests were sent (µs), over the same phases.</param>
internal sealed record MeasuredRecords(IReadOnlyList<OperationRecord> Operations, OperationRecord Overall, OperationRecord All, HistogramBase SendLag);
