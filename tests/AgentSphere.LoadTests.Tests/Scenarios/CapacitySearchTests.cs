using AgentSphere.LoadTests.Scenarios;

namespace AgentSphere.LoadTests.Tests.Scenarios;

public sealed class CapacitySearchTests
{
    [Fact]
    public void Search_RisesByTheFactorUntilAStepFails_ThenBisects()
    {
        // Arrange: the system holds up to 300 ops/s.
        var search = new CapacitySearch(startRate: 50, factor: 2, maxRate: 100_000, refineSteps: 2);

        // Act
        var tried = Run(search, rate => rate <= 300);

        // Assert: 50, 100, 200, 400 (fails), then 300 (holds), 350 (fails); two refinements.
        Assert.Equal([50.0, 100, 200, 400, 300, 350], tried);
        Assert.Equal(300, search.HighestHeld);
        Assert.Equal(350, search.LowestFailed);
        Assert.Null(search.NextRate);
    }

    [Fact]
    public void Search_StartFails_GoesDownUntilOneHolds()
    {
        var search = new CapacitySearch(startRate: 100, factor: 2, maxRate: 1000, refineSteps: 1);

        var tried = Run(search, rate => rate <= 30);

        Assert.Equal([100.0, 50, 25, 38], tried);
        Assert.Equal(25, search.HighestHeld);
        Assert.Equal(38, search.LowestFailed);
    }

    [Fact]
    public void Search_AllHold_StopsAtTheMaximum()
    {
        var search = new CapacitySearch(startRate: 40, factor: 3, maxRate: 500);

        var tried = Run(search, _ => true);

        Assert.Equal([40.0, 120, 360, 500], tried);
        Assert.Equal(500, search.HighestHeld);
        Assert.Null(search.LowestFailed);
    }

    [Fact]
    public void Search_NothingHolds_GivesUpBelowTheMinimum()
    {
        var search = new CapacitySearch(startRate: 4, factor: 2, maxRate: 100, minRate: 1);

        var tried = Run(search, _ => false);

        Assert.Equal([4.0, 2, 1], tried);
        Assert.Null(search.HighestHeld);
    }

    [Fact]
    public void Search_CloseBounds_StopRefining()
    {
        // 2 % of 1000 is 20: once the bounds are 1000 and 1015 there is nothing left to bisect.
        var search = new CapacitySearch(startRate: 1000, factor: 1.015, maxRate: 10_000, refineSteps: 5);

        var tried = Run(search, rate => rate <= 1000);

        Assert.Equal([1000.0, 1015], tried);
    }

    [Fact]
    public void Report_AfterTheEnd_Throws()
    {
        var search = new CapacitySearch(10, 2, 10);
        search.Report(held: true);

        Assert.Null(search.NextRate);
        Assert.Throws<InvalidOperationException>(() => search.Report(held: true));
    }

    [Theory]
    [InlineData(1234.4, 1234)]
    [InlineData(12.5, 12)]
    [InlineData(9.87, 9.9)]
    public void Round_WholeFromTenUp(double rate, double expected) => Assert.Equal(expected, CapacitySearch.Round(rate));

    private static List<double> Run(CapacitySearch search, Func<double, bool> holds)
    {
        var tried = new List<double>();
        while (search.NextRate is { } rate)
        {
            tried.Add(rate);
            search.Report(holds(rate));
        }

        return tried;
    }
}
