using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Tests.Recording;

public sealed class RecorderTests
{
    [Fact]
    public void Measured_SplitsByPhaseAndSumsOverallOperationsOnly()
    {
        // Arrange: two phases; deploy is not an overall operation.
        var recorder = new Recorder(["list", "deploy"], phases: 2, overallOperations: ["list"]);
        recorder.RecordCompleted("list", 0, Ms(10), Ms(9), TimeSpan.Zero, true, "200", cacheHit: true);
        recorder.RecordCompleted("list", 1, Ms(20), Ms(19), TimeSpan.Zero, false, "429");
        recorder.RecordCompleted("deploy", 1, Ms(15_000), Ms(15_000), TimeSpan.Zero, true, "201");
        recorder.RecordCompleted("list", -1, Ms(99), Ms(99), TimeSpan.Zero, true, "200");

        // Act
        var first = recorder.Measured(0);
        var all = recorder.Measured();

        // Assert
        Assert.Equal(1, first.All.Count);
        Assert.Equal(1, first.Operations[0].CacheHits);
        Assert.Equal(3, all.All.Count);
        Assert.Equal(2, all.Overall.Count);
        Assert.Equal(1, all.Overall.Errors);
        Assert.InRange(HdrHistogram.HistogramExtensions.GetMaxValue(all.Overall.Latency), 19_980, 20_030);
        Assert.Equal(new Dictionary<string, long> { ["200"] = 1, ["429"] = 1 }, all.Operations[0].Outcomes);
    }

    [Fact]
    public void TakeInterval_CountsEverythingButTakesOverallLatenciesOnly()
    {
        var recorder = new Recorder(["list", "deploy"], overallOperations: ["list"]);
        recorder.RecordSent();
        recorder.RecordSent();
        recorder.RecordCompleted("list", 0, Ms(10), Ms(10), TimeSpan.Zero, true, "200");
        recorder.RecordCompleted("deploy", 0, Ms(15_000), Ms(15_000), TimeSpan.Zero, true, "201");

        var interval = recorder.TakeInterval();

        Assert.Equal((2, 2, 0L, 1L), (interval.Sent, interval.Completed, interval.Errors, interval.IntervalCompleted));
        Assert.InRange(interval.IntervalP99Ms, 9.9, 10.1);
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
