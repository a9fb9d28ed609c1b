using System.Globalization;

namespace AgentSphere.LoadTests.Load;

/// <summary>When each request of an open-loop run is due: consecutive stages, each with evenly spaced arrivals.</summary>
/// <remarks>
/// Within stage <c>k</c>, which starts at <c>S_k</c> (the sum of the earlier stages' durations), arrival <c>i</c> is due at
/// <c>S_k + i / rate_k</c> for every <c>i</c> with <c>i / rate_k &lt; duration_k</c>, so the stage holds
/// <c>ceil(rate_k · duration_k)</c> arrivals. Evenly spaced rather than Poisson: the same rate gives the same load in every
/// run, so differences between gateways or policies are not drowned by the arrival process's own burstiness.
/// </remarks>
internal sealed class ArrivalSchedule
{
    private readonly long[] _firstIndex;
    private readonly TimeSpan[] _start;

    public ArrivalSchedule(IReadOnlyList<RateStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentOutOfRangeException.ThrowIfZero(stages.Count);
        Stages = stages;
        _firstIndex = new long[stages.Count + 1];
        _start = new TimeSpan[stages.Count + 1];
        for (var k = 0; k < stages.Count; k++)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stages[k].Rate);
            ArgumentOutOfRangeException.ThrowIfLessThan(stages[k].Duration, TimeSpan.Zero);
            _firstIndex[k + 1] = _firstIndex[k] + ArrivalsIn(stages[k]);
            _start[k + 1] = _start[k] + stages[k].Duration;
        }
    }

    /// <summary>A warm-up (when longer than 0) and one measured stage at the same rate.</summary>
    public static ArrivalSchedule Constant(double rate, TimeSpan warmup, TimeSpan duration, string label = "run") =>
        new(warmup > TimeSpan.Zero
            ? [new RateStage("warm-up", rate, warmup, Measured: false), new RateStage(label, rate, duration)]
            : [new RateStage(label, rate, duration)]);

    public IReadOnlyList<RateStage> Stages { get; }

    /// <summary>Total length, warm-up included.</summary>
    public TimeSpan Length => _start[^1];

    /// <summary>Arrivals in the whole schedule.</summary>
    public long Count => _firstIndex[^1];

    /// <summary>Where stage <paramref name="stage"/> starts.</summary>
    public TimeSpan StartOf(int stage) => _start[stage];

    /// <summary>The part of the schedule whose requests count: from the first measured stage's start to the last one's end.</summary>
    public (TimeSpan From, TimeSpan To) MeasuredWindow
    {
        get
        {
            var first = -1;
            var last = -1;
            for (var k = 0; k < Stages.Count; k++)
            {
                if (Stages[k].Measured)
                {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }

            return first < 0 ? (Length, Length) : (_start[first], _start[last + 1]);
        }
    }

    /// <summary>One line for the report, e.g. <c>constant 50/s, evenly spaced</c>.</summary>
    public string Description
    {
        get
        {
            var measured = Stages.Where(s => s.Measured).ToList();
            if (measured.Select(s => s.Rate).Distinct().Count() == 1)
            {
                return string.Create(CultureInfo.InvariantCulture, $"constant {measured[0].Rate:0.###}/s, evenly spaced");
            }

            return "stages " + string.Join(" → ", measured.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Rate:0.###}/s"))) + ", evenly spaced";
        }
    }

    /// <summary>The arrival with 0-based <paramref name="index"/>, or null after the last one.</summary>
    public Arrival? At(long index)
    {
        if (index < 0 || index >= Count)
        {
            return null;
        }

        var stage = 0;
        while (index >= _firstIndex[stage + 1])
        {
            stage++;
        }

        var within = index - _firstIndex[stage];
        return new Arrival(_start[stage] + TimeSpan.FromTicks((long)(within * (TimeSpan.TicksPerSecond / Stages[stage].Rate))), stage);
    }

    /// <summary>Arrivals in one stage: <c>ceil(rate · duration)</c>, computed in ticks so 0.1 s at 10/s gives exactly 1.</summary>
    public static long ArrivalsIn(RateStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var ticksPerArrival = TimeSpan.TicksPerSecond / stage.Rate;
        var exact = stage.Duration.Ticks / ticksPerArrival;
        var count = (long)Math.Ceiling(exact - 1e-9);
        return Math.Max(0, count);
    }
}
