namespace AgentSphere.LoadTests.Load;

/// <summary>When a run started, when its measured period began, when it ended, and how punctual the scheduler was.</summary>
/// <param name="StartedAt">Wall-clock time of the first scheduled arrival.</param>
/// <param name="MeasuredFrom">Start plus the warm-up.</param>
/// <param name="ScheduleEndedAt">When the last arrival was sent (or the run was interrupted).</param>
/// <param name="EndedAt">When the last in-flight request finished.</param>
/// <param name="Interrupted">The run was stopped by a signal before its schedule ended.</param>
/// <param name="MaxSendLag">The largest delay between an arrival's due time and its actual send (generator overload shows here).</param>
internal sealed record RunTimeline(
    DateTimeOffset StartedAt,
    DateTimeOffset MeasuredFrom,
    DateTimeOffset ScheduleEndedAt,
    DateTimeOffset EndedAt,
    bool Interrupted,
    TimeSpan MaxSendLag);
