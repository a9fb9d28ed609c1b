using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>The machine-readable summary of one scenario run, as written to <c>FILE.json</c> by <c>--report</c>.</summary>
/// <remarks>
/// The top-level figures (<see cref="Overall"/>, <see cref="Operations"/>, <see cref="MeasuredRate"/>,
/// <see cref="MeasuredFrom"/>, <see cref="DurationSeconds"/>) are those of the whole measured period, as before the
/// scenarios existed, so scripts that read a <c>reads</c> report keep working. <see cref="Sections"/> breaks the run
/// down (ramp stages, concurrency parts, capacity steps, stability parts).
/// </remarks>
internal sealed class ReportDocument
{
    /// <summary>Scenario name.</summary>
    public required string Scenario { get; init; }

    /// <summary>What the scenario does, in one sentence.</summary>
    public required string Description { get; init; }

    /// <summary>Base URL the requests went to.</summary>
    public required string Target { get; init; }

    /// <summary>The arrival schedule, e.g. <c>constant 50/s, evenly spaced</c>, or the closed-loop parts.</summary>
    public required string Arrivals { get; init; }

    /// <summary>Requested rate (ops/s) of the measured period; for a ramp, its last stage's.</summary>
    public required double Rate { get; init; }

    /// <summary>Requests started in the measured period per second of it.</summary>
    public required double MeasuredRate { get; init; }

    /// <summary>Measured time actually run.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Warm-up before it, excluded from every figure.</summary>
    public required double WarmupSeconds { get; init; }

    /// <summary>The <c>--time-scale</c> applied to the scenario's built-in periods.</summary>
    public required double TimeScale { get; init; }

    /// <summary>Distinct API keys (callers).</summary>
    public required int ApiKeys { get; init; }

    /// <summary>Seed of the workload's random choices.</summary>
    public required int Seed { get; init; }

    /// <summary>The operation mix (<c>op=weight,...</c>), or null for a workload without one.</summary>
    public string? Mix { get; init; }

    /// <summary>Live sandboxes the workload keeps, or null.</summary>
    public int? PoolSize { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset MeasuredFrom { get; init; }

    public required DateTimeOffset ScheduleEndedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Stopped by a signal before the schedule ended.</summary>
    public required bool Interrupted { get; init; }

    /// <summary>Largest delay between an arrival's due time and its send, warm-up included (open loop).</summary>
    public required double MaxSendLagMs { get; init; }

    /// <summary>The same delay in the measured period: the generator's own lateness, already part of every latency.</summary>
    public required LatencyReport SendLagMs { get; init; }

    /// <summary>The operations <see cref="Overall"/> covers.</summary>
    public required IReadOnlyList<string> OverallOperations { get; init; }

    /// <summary>The overall operations together: the headline figures, overall P99 included.</summary>
    public required OperationReport Overall { get; init; }

    /// <summary>Every operation together, deploy and cleanup included.</summary>
    public required OperationReport AllOperations { get; init; }

    /// <summary>Per operation, in report order.</summary>
    public required IReadOnlyDictionary<string, OperationReport> Operations { get; init; }

    /// <summary>The parts of the run.</summary>
    public required IReadOnlyList<SectionReport> Sections { get; init; }

    /// <summary>Every judged target.</summary>
    public required IReadOnlyList<CheckResult> Checks { get; init; }

    /// <summary>Every judged target was met; null when the scenario has no targets (<c>reads</c>).</summary>
    public bool? Passed { get; init; }

    public required MemoryReport Memory { get; init; }

    /// <summary>The stability run's drift, or null.</summary>
    public DriftReport? Drift { get; init; }

    /// <summary>The capacity search's outcome, or null.</summary>
    public CapacityReport? Capacity { get; init; }

    /// <summary>Remarks about the run (substituted requests, expired sandboxes, what the memory includes).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Per-interval rates and latencies over the whole run, warm-up included.</summary>
    public required IReadOnlyList<SeriesPoint> Series { get; init; }

    /// <summary>The stretches of the time line (warm-up, stages, parts, steps).</summary>
    public required IReadOnlyList<SeriesPhase> Phases { get; init; }

    /// <summary>The gateway's working set over the whole run.</summary>
    public required IReadOnlyList<MemorySample> MemorySeries { get; init; }
}
