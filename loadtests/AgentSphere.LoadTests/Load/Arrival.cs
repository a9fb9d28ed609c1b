namespace AgentSphere.LoadTests.Load;

/// <summary>When one arrival of a schedule is due, and the stage it belongs to.</summary>
/// <param name="Offset">From the start of the schedule.</param>
/// <param name="Stage">Index into <see cref="ArrivalSchedule.Stages"/>.</param>
internal readonly record struct Arrival(TimeSpan Offset, int Stage);
