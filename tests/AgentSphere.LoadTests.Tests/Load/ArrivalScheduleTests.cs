using AgentSphere.LoadTests.Load;

namespace AgentSphere.LoadTests.Tests.Load;

public sealed class ArrivalScheduleTests
{
    [Theory]
    [InlineData(10, 1000, 10)]
    [InlineData(10, 100, 1)]
    [InlineData(10, 150, 2)]
    [InlineData(3, 1000, 3)]
    [InlineData(50, 12_000, 600)]
    [InlineData(7, 0, 0)]
    public void ArrivalsIn_IsTheCeilingOfRateTimesDuration(double rate, int milliseconds, long expected) =>
        Assert.Equal(expected, ArrivalSchedule.ArrivalsIn(new RateStage("s", rate, TimeSpan.FromMilliseconds(milliseconds))));

    [Fact]
    public void At_WalksStagesEvenlySpacedEachFromItsOwnStart()
    {
        // Arrange: 2/s for 1 s, then 4/s for 1 s.
        var schedule = new ArrivalSchedule([new RateStage("a", 2, TimeSpan.FromSeconds(1), Measured: false), new RateStage("b", 4, TimeSpan.FromSeconds(1))]);

        // Act
        var arrivals = Enumerable.Range(0, 7).Select(i => schedule.At(i)).ToList();

        // Assert
        Assert.Equal(6, schedule.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.Length);
        Assert.Equal(
            [new Arrival(TimeSpan.Zero, 0), new Arrival(TimeSpan.FromMilliseconds(500), 0), new Arrival(TimeSpan.FromSeconds(1), 1),
             new Arrival(TimeSpan.FromMilliseconds(1250), 1), new Arrival(TimeSpan.FromMilliseconds(1500), 1), new Arrival(TimeSpan.FromMilliseconds(1750), 1)],
            arrivals.Take(6).Select(a => a!.Value));
        Assert.Null(arrivals[6]);
        Assert.Null(schedule.At(-1));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), schedule.MeasuredWindow);
    }

    [Fact]
    public void Constant_WithWarmup_HasAnUnmeasuredFirstStage()
    {
        var schedule = ArrivalSchedule.Constant(50, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

        Assert.Equal(2, schedule.Stages.Count);
        Assert.False(schedule.Stages[0].Measured);
        Assert.Equal(250 + 1500, schedule.Count);
        Assert.Equal("constant 50/s, evenly spaced", schedule.Description);
        Assert.Equal([-1, 0], Engine.PhasesOf(schedule));
    }

    [Fact]
    public void Constant_WithoutWarmup_IsOneMeasuredStage()
    {
        var schedule = ArrivalSchedule.Constant(10, TimeSpan.Zero, TimeSpan.FromSeconds(3));

        Assert.Single(schedule.Stages);
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(3)), schedule.MeasuredWindow);
    }
}
