namespace AgentSphere.LoadTests.Load;

/// <summary>When a run started, when its measured period began, when it ended, and how punctual the scheduler was.</summary>
/// <param name="StartedAt">Wall-clock time of the first scheduled arrival.</param>
/// <param name="MeasuredFrom">Start of the first measured stage (after the warm-up).</param>
/// <param name="ScheduleEndedAt">When the last arrival was sent (or the run was interrupted).</param>
/// <param name="EndedAt">When the last in-flight request finished.</param>
/// <param name="Interrupted">The run was stopped by a signal before its schedule ended.</param>
/// <param name="MaxSendLag">The largest delay between an arrival's due time and its actual send (generator overload shows here).</param>
/// <param name="SeriesStart">Where the run's first arrival lies on the scenario's <see cref="Recording.TimeSeries"/>.</param>
internal sealed record RunTimeline(
    DateTimeOffset StartedAt,
    DateTimeOffset MeasuredFrom,
    DateTimeOffset ScheduleEndedAt,
    DateTimeOffset EndedAt,
    bool Interrupted,
    TimeSpan MaxSendLag,
    TimeSpan SeriesStart)
{
    /// <summary>The measured time actually run: from the measured start to the end of the schedule, at most <paramref name="planned"/>.</summary>
    public TimeSpan MeasuredDuration(TimeSpan planned)
    {
        var measured = ScheduleEndedAt - MeasuredFrom;
        return measured <= TimeSpan.Zero ? TimeSpan.Zero : measured < planned ? measured : planned;
    }
}
