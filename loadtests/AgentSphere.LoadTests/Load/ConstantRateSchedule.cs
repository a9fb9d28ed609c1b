using System.Globalization;

namespace AgentSphere.LoadTests.Load;

/// <summary>Evenly spaced arrivals: request <c>i</c> is due at <c>i / rate</c> seconds.</summary>
/// <remarks>
/// Evenly spaced rather than Poisson: the same rate gives the same load in every run, so differences between
/// load-balancing policies are not drowned by the arrival process's own burstiness.
/// </remarks>
internal sealed class ConstantRateSchedule : ArrivalSchedule
{
    private readonly double _ticksPerArrival;

    public ConstantRateSchedule(double ratePerSecond, TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        Rate = ratePerSecond;
        Length = length;
        _ticksPerArrival = TimeSpan.TicksPerSecond / ratePerSecond;
    }

    public double Rate { get; }

    public override TimeSpan Length { get; }

    public override string Description => string.Create(CultureInfo.InvariantCulture, $"constant {Rate:0.###}/s, evenly spaced");

    public override TimeSpan? OffsetOf(long index)
    {
        var offset = TimeSpan.FromTicks((long)(index * _ticksPerArrival));
        return offset < Length ? offset : null;
    }
}
