using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Scenarios;

namespace AgentSphere.LoadTests.Tests.Scenarios;

public sealed class RampScheduleTests
{
    [Fact]
    public void Schedule_TimeScaleOne_IsTheSeedsTenMinutesAfterTheWarmup()
    {
        // Act
        var schedule = RampScenario.Schedule(TimeSpan.FromSeconds(5), timeScale: 1);

        // Assert: warm-up at 10/s, then 10, 20, 35, 50, 60 ops/s for 2 min each.
        Assert.Equal([10.0, 10, 20, 35, 50, 60], schedule.Stages.Select(s => s.Rate));
        Assert.All(schedule.Stages.Skip(1), s => Assert.Equal(TimeSpan.FromMinutes(2), s.Duration));
        Assert.Equal(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(5), schedule.Length);
        Assert.Equal(50 + ((10 + 20 + 35 + 50 + 60) * 120), schedule.Count);
        Assert.Equal([-1, 0, 1, 2, 3, 4], Engine.PhasesOf(schedule));
    }

    [Fact]
    public void Schedule_TimeScaled_ShortensEveryStage()
    {
        var schedule = RampScenario.Schedule(TimeSpan.Zero, timeScale: 0.1);

        Assert.Equal(5, schedule.Stages.Count);
        Assert.All(schedule.Stages, s => Assert.Equal(TimeSpan.FromSeconds(12), s.Duration));
        Assert.Equal(TimeSpan.FromSeconds(36), schedule.StartOf(3));
        Assert.Equal((10 + 20 + 35 + 50 + 60) * 12, schedule.Count);

        // The first arrival of stage 4 (50 ops/s) is due exactly at its start.
        var firstOfStage4 = (10 + 20 + 35) * 12;
        Assert.Equal(new Arrival(TimeSpan.FromSeconds(36), 3), schedule.At(firstOfStage4));
        Assert.Equal(new Arrival(TimeSpan.FromSeconds(36.02), 3), schedule.At(firstOfStage4 + 1));
    }

    [Theory]
    [InlineData(10, 800, 0.0005)]
    [InlineData(50, 800, 0.0005)]
    [InlineData(60, 1000, 0.01)]
    public void LevelFor_SixtyIsShortTerm(double rate, double p99, double errors)
    {
        var level = RampScenario.LevelFor(rate);

        Assert.Equal(p99, level.OverallP99Ms);
        Assert.Equal(errors, level.MaxErrorRate);
        Assert.Same(rate > SeedTargets.SustainedRate ? SeedTargets.ShortTerm : SeedTargets.Sustained, level);
    }

    [Fact]
    public void StabilitySchedule_SplitsTheMeasuredPeriodIntoFifthMiddleFifth()
    {
        var schedule = StabilityScenario.Schedule(50, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

        Assert.Equal(["warm-up", "first part", "middle", "last part"], schedule.Stages.Select(s => s.Label));
        Assert.Equal([5.0, 12, 36, 12], schedule.Stages.Select(s => s.Duration.TotalSeconds));
        Assert.Equal(250 + 3000, schedule.Count);
    }
}
