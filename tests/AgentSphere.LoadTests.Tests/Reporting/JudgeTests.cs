using AgentSphere.LoadTests.Reporting;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Tests.Reporting;

public sealed class JudgeTests
{
    [Fact]
    public void WithTargets_SetsTheSeedsTargetAndPassOnlyWithSamples()
    {
        var judged = Judge.WithTargets(new Dictionary<string, OperationReport>
        {
            [OperationNames.Connect] = ReportFixture.Op(10, 0, 0, 200, 450, 499.9),
            [OperationNames.Monitor] = ReportFixture.Op(10, 0, 0, 600, 1900, 2000),
            [OperationNames.Deploy] = ReportFixture.Op(0, 0, 0, 0, 0, 0),
            ["other"] = ReportFixture.Op(5, 0, 0, 1, 1, 1),
        });

        Assert.Equal((500, true), (judged[OperationNames.Connect].TargetP99Ms, judged[OperationNames.Connect].Pass));
        Assert.Equal((2000, false), (judged[OperationNames.Monitor].TargetP99Ms, judged[OperationNames.Monitor].Pass));
        Assert.Null(judged[OperationNames.Deploy].Pass);
        Assert.Null(judged["other"].TargetP99Ms);
    }

    [Fact]
    public void Load_ShortTermLevel_UsesTheLooserBar()
    {
        // Arrange: overall P99 900 ms and 0.5 % errors miss the sustained bar but meet the short-term one.
        var overall = ReportFixture.Op(1000, 5, 0, 10, 500, 900);
        var section = new SectionReport("stage 5", 60, null, 0, 10, 60, 59.7, overall, overall, Judge.WithTargets(new Dictionary<string, OperationReport>()), null, null);

        // Act
        var sustained = Judge.Load("s", section, SeedTargets.Sustained, OperationNames.Interactive, []);
        var shortTerm = Judge.Load("s", section, SeedTargets.ShortTerm, OperationNames.Interactive, []);

        // Assert
        Assert.Equal([true, false, false, null], sustained.Select(c => c.Passed));
        Assert.Equal([true, true, true, null], shortTerm.Select(c => c.Passed));
    }

    [Fact]
    public void Load_FewerRequestsThanThePercentileNeeds_ReportsTheP99WithoutJudgingIt()
    {
        // Arrange: a P99 of 900 ms over the sustained bar, from 120 requests (a time-scaled ramp stage).
        var overall = ReportFixture.Op(120, 0, 0, 10, 500, 900);
        var section = new SectionReport("stage 1", 10, null, 0, 12, 10, 10, overall, overall, Judge.WithTargets(new Dictionary<string, OperationReport>()), null, null);

        // Act
        var few = Judge.Load("s", section, SeedTargets.Sustained, OperationNames.Interactive, [], minP99Samples: 1000);
        var enough = Judge.Load("s", section, SeedTargets.Sustained, OperationNames.Interactive, [], minP99Samples: 100);

        // Assert
        Assert.Null(few[1].Passed);
        Assert.Equal("900.0 ms", few[1].Actual);
        Assert.Contains("too few for a P99 verdict", few[1].Note);
        Assert.False(enough[1].Passed);
    }

    [Fact]
    public void OperationTargets_RequiredOperationWithoutSamples_Fails()
    {
        var operations = Judge.WithTargets(new Dictionary<string, OperationReport> { [OperationNames.List] = ReportFixture.Op(10, 0, 0, 1, 2, 3) });

        var check = Judge.OperationTargets("run", operations, [OperationNames.List, OperationNames.Deploy]);

        Assert.False(check.Passed);
        Assert.Equal("deploy: no samples", check.Actual);
    }

    [Fact]
    public void MemoryGrowth_ShortRun_IsReportedButNotJudged()
    {
        var memory = new MemoryReport(true, null, 60, 100, 101, 102, 60, 59);

        var shortRun = Judge.MemoryGrowth(memory, TimeSpan.FromMinutes(1));
        var longRun = Judge.MemoryGrowth(memory, TimeSpan.FromHours(2));

        Assert.Null(shortRun.Passed);
        Assert.Equal("+60.0 MB/h over 1 min", shortRun.Actual);
        Assert.False(longRun.Passed);
        Assert.Null(Judge.MemoryGrowth(MemoryReport.NotMeasured("no URL"), TimeSpan.FromHours(2)).Passed);
    }

    [Fact]
    public void Passed_IgnoresUnjudgedChecks()
    {
        CheckResult Check(bool? passed) => new("run", "x", "", "", passed);

        Assert.Null(Judge.Passed([]));
        Assert.Null(Judge.Passed([Check(null)]));
        Assert.True(Judge.Passed([Check(true), Check(null)]));
        Assert.False(Judge.Passed([Check(true), Check(false)]));
    }
}
