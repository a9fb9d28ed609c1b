namespace AgentSphere.LoadTests.Load;

/// <summary>When each request of an open-loop run is due, independent of how earlier requests fared.</summary>
/// <remarks>A staged ramp (10 → 20 → 35 → 50 → 60 ops/s) is another schedule; the engine only asks for offsets.</remarks>
internal abstract class ArrivalSchedule
{
    /// <summary>Total length of the schedule, warm-up included.</summary>
    public abstract TimeSpan Length { get; }

    /// <summary>One line describing the schedule for the report, e.g. <c>constant 84/s</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The offset from the start at which arrival <paramref name="index"/> (0-based) is due, or null after the last one.</summary>
    public abstract TimeSpan? OffsetOf(long index);
}
