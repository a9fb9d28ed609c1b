namespace AgentSphere.LoadTests.Scenarios;

/// <summary>Which rate a capacity search tries next, given which of the earlier steps held.</summary>
/// <remarks>
/// Up by <see cref="Factor"/> from the start rate while steps hold (capped at the maximum); once one fails, the search
/// bisects between the highest rate that held and the lowest that failed, at most <see cref="RefineSteps"/> times or
/// until the two are within 2 % (at least 1 op/s) of each other. If the start rate already fails it goes down by the
/// factor until a step holds, then bisects the same way; below <see cref="MinRate"/> it gives up. Rates are rounded
/// (whole numbers from 10 ops/s up) so reports show the rates that actually ran.
/// </remarks>
internal sealed class CapacitySearch
{
    private double? _current;
    private int _refined;

    public CapacitySearch(double startRate, double factor, double maxRate, int refineSteps = 2, double minRate = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(startRate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(factor, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRate);
        ArgumentOutOfRangeException.ThrowIfNegative(refineSteps);
        Factor = factor;
        MaxRate = maxRate;
        RefineSteps = refineSteps;
        MinRate = minRate;
        _current = Round(Math.Min(startRate, maxRate));
    }

    public double Factor { get; }

    public double MaxRate { get; }

    public int RefineSteps { get; }

    public double MinRate { get; }

    /// <summary>The rate to run next, or null when the search is over.</summary>
    public double? NextRate => _current;

    /// <summary>The highest rate that held so far.</summary>
    public double? HighestHeld { get; private set; }

    /// <summary>The lowest rate that failed so far.</summary>
    public double? LowestFailed { get; private set; }

    /// <summary>Records whether the step at <see cref="NextRate"/> held, and moves to the next rate.</summary>
    public void Report(bool held)
    {
        if (_current is not { } rate)
        {
            throw new InvalidOperationException("The search is over.");
        }

        if (held)
        {
            HighestHeld = HighestHeld is { } h ? Math.Max(h, rate) : rate;
        }
        else
        {
            LowestFailed = LowestFailed is { } f ? Math.Min(f, rate) : rate;
        }

        _current = Next(rate);
    }

    /// <summary>Rounds a rate: whole ops/s from 10 up, tenths below.</summary>
    public static double Round(double rate) => rate >= 10 ? Math.Round(rate) : Math.Round(rate, 1);

    private double? Next(double rate)
    {
        switch (HighestHeld, LowestFailed)
        {
            case (_, null):
                return rate >= MaxRate ? null : Round(Math.Min(rate * Factor, MaxRate));
            case (null, { } failed):
                var lower = Round(failed / Factor);
                return lower < MinRate ? null : lower;
            case ({ } low, { } high):
                if (_refined >= RefineSteps || high - low <= Math.Max(1, low * 0.02))
                {
                    return null;
                }

                var middle = Round((low + high) / 2);
                if (middle <= low || middle >= high)
                {
                    return null;
                }

                _refined++;
                return middle;
        }
    }
}
