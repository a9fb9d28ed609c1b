using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Metrics;

/// <remarks>
/// Stated tolerance: a percentile is the midpoint of the log-linear bucket its nearest-rank sample falls in, so it is within 1/128
/// (0.78 %) of the exact nearest-rank value, or within 0.5 µs below 128 µs. Average and maximum are exact.
/// </remarks>
public sealed class OperationLatencyWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void Read_TenThousandSamplesOneToThousandMs_PercentilesWithinOneBucket()
    {
        var time = new FakeTimeProvider();
        var window = new OperationLatencyWindow(Window, time);
        var samples = Enumerable.Range(1, 1000).SelectMany(ms => Enumerable.Repeat(ms, 10)).ToArray();
        new Random(42).Shuffle(samples);

        foreach (var ms in samples)
        {
            window.Record(AgentSphereOperation.List, TimeSpan.FromMilliseconds(ms), 200);
        }

        var list = Assert.Single(window.Read().Operations);
        Assert.Equal("list", list.Operation);
        Assert.Equal(10_000, list.Requests);
        AssertWithinTolerance(500, list.P50Milliseconds);  // nearest rank 5000 of 10000
        AssertWithinTolerance(950, list.P95Milliseconds);  // rank 9500
        AssertWithinTolerance(990, list.P99Milliseconds);  // rank 9900
        Assert.Equal(500.5, list.AverageMilliseconds, precision: 9);
        Assert.Equal(1000, list.MaxMilliseconds);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(3.3)]
    [InlineData(47)]
    [InlineData(850)]
    [InlineData(15_000)]
    [InlineData(55_000)]
    public void Read_OneValueAnywhereInRange_PercentilesWithinOneBucket(double milliseconds)
    {
        var time = new FakeTimeProvider();
        var window = new OperationLatencyWindow(Window, time);

        window.Record(AgentSphereOperation.Deploy, TimeSpan.FromMilliseconds(milliseconds), 201);
        window.Record(AgentSphereOperation.Deploy, TimeSpan.FromMilliseconds(milliseconds * 2), 201);

        var deploy = Assert.Single(window.Read().Operations);
        AssertWithinTolerance(milliseconds, deploy.P50Milliseconds); // rank 1 of 2: a bucket midpoint, not the exact maximum
        AssertWithinTolerance(milliseconds * 2, deploy.P99Milliseconds);
        Assert.Equal(milliseconds * 2, deploy.MaxMilliseconds, precision: 9);
    }

    [Fact]
    public void Read_AboveHighestTrackable_PercentilesSaturateAndMaxStaysExact()
    {
        var window = new OperationLatencyWindow(Window, new FakeTimeProvider());

        window.Record(AgentSphereOperation.Deploy, TimeSpan.FromSeconds(200), 504);

        var deploy = Assert.Single(window.Read().Operations);
        Assert.InRange(deploy.P99Milliseconds, 119_000, 122_000);
        Assert.Equal(200_000, deploy.MaxMilliseconds);
        Assert.Equal(200_000, deploy.AverageMilliseconds);
    }

    [Fact]
    public void Read_SamplesOlderThanTheWindow_DropOut()
    {
        var time = new FakeTimeProvider();
        var window = new OperationLatencyWindow(Window, time);
        window.Record(AgentSphereOperation.List, TimeSpan.FromMilliseconds(100), 200);
        time.Advance(TimeSpan.FromSeconds(30));
        window.Record(AgentSphereOperation.List, TimeSpan.FromMilliseconds(300), 200);

        time.Advance(TimeSpan.FromSeconds(30)); // the first sample is 60 s old: still in
        var before = window.Read().Overall;
        time.Advance(TimeSpan.FromSeconds(1));
        var after = window.Read().Overall;
        time.Advance(TimeSpan.FromSeconds(30));
        var empty = window.Read();

        Assert.Equal(2, before.Requests);
        Assert.Equal(300, before.MaxMilliseconds);
        Assert.Equal(1, after.Requests);
        AssertWithinTolerance(300, after.P50Milliseconds);
        Assert.Equal(0, empty.Overall.Requests);
        Assert.Empty(empty.Operations);
        Assert.Equal(0, empty.Overall.P95Milliseconds);
    }

    [Fact]
    public void Record_SlotReusedAfterAWholeRing_StartsFromZero()
    {
        var time = new FakeTimeProvider();
        var window = new OperationLatencyWindow(Window, time);
        for (var i = 0; i < 5; i++)
        {
            window.Record(AgentSphereOperation.Connect, TimeSpan.FromSeconds(2), 500);
        }

        time.Advance(TimeSpan.FromSeconds(62)); // the ring holds 62 seconds: the same slot, a new second
        window.Record(AgentSphereOperation.Connect, TimeSpan.FromMilliseconds(5), 200);

        var connect = Assert.Single(window.Read().Operations);
        Assert.Equal(1, connect.Requests);
        Assert.Equal(0, connect.Errors);
        Assert.Equal(5, connect.MaxMilliseconds);
        Assert.Equal(5, connect.AverageMilliseconds, precision: 9);
    }

    [Fact]
    public void Record_SeveralThreadsAtOnce_LosesNoCount()
    {
        var time = new FakeTimeProvider();
        var window = new OperationLatencyWindow(Window, time);
        const int threads = 4;
        const int perThread = 50_000;
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                var operation = i % 2 == 0 ? AgentSphereOperation.List : AgentSphereOperation.Monitor;
                // Mostly one bucket, so the threads contend for the same counters.
                window.Record(operation, TimeSpan.FromMilliseconds(i % 100 == 0 ? 500 : 2), i % 10 == 0 ? 502 : 200);
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        var reading = window.Read();
        Assert.Equal(threads * perThread, reading.Overall.Requests);
        Assert.Equal(threads * perThread / 10, reading.Overall.Errors);
        Assert.Equal(500, reading.Overall.MaxMilliseconds);
        Assert.All(reading.Operations, o => Assert.Equal(threads * perThread / 2, o.Requests));
    }

    [Fact]
    public void Read_TwoOperations_KeptApartAndMergedInOverall()
    {
        var window = new OperationLatencyWindow(Window, new FakeTimeProvider());
        for (var i = 0; i < 99; i++)
        {
            window.Record(AgentSphereOperation.List, TimeSpan.FromMilliseconds(120), 200);
        }

        window.Record(AgentSphereOperation.Deploy, TimeSpan.FromSeconds(15), 201);

        var reading = window.Read();
        Assert.Equal(["list", "deploy"], reading.Operations.Select(o => o.Operation));
        var list = reading.Operations[0];
        var deploy = reading.Operations[1];
        Assert.Equal(99, list.Requests);
        AssertWithinTolerance(120, list.P99Milliseconds);
        Assert.Equal(1, deploy.Requests);
        AssertWithinTolerance(15_000, deploy.P50Milliseconds);
        Assert.Equal("all", reading.Overall.Operation);
        Assert.Equal(100, reading.Overall.Requests);
        AssertWithinTolerance(120, reading.Overall.P95Milliseconds);
        Assert.Equal(15_000, reading.Overall.MaxMilliseconds);
    }

    [Theory]
    [InlineData(200, false, false)]
    [InlineData(404, false, false)]
    [InlineData(499, false, false)]
    [InlineData(500, false, true)]
    [InlineData(503, false, true)]
    [InlineData(200, true, true)]
    public void Record_StatusAndTransportFailure_CountErrorsFrom500Up(int status, bool transportFailure, bool isError)
    {
        var window = new OperationLatencyWindow(Window, new FakeTimeProvider());

        window.Record(AgentSphereOperation.Cleanup, TimeSpan.FromMilliseconds(10), status, transportFailure);

        var cleanup = Assert.Single(window.Read().Operations);
        Assert.Equal(isError ? 1 : 0, cleanup.Errors);
        Assert.Equal(isError ? 100 : 0, cleanup.ErrorRatePercent);
    }

    [Fact]
    public void Record_UndefinedOperation_CountsAsOther()
    {
        var window = new OperationLatencyWindow(Window, new FakeTimeProvider());

        window.Record((AgentSphereOperation)99, TimeSpan.FromMilliseconds(1), failed: false);

        Assert.Equal("other", Assert.Single(window.Read().Operations).Operation);
    }

    [Fact]
    public void Read_JustAfterStart_RatesOverTheUptimeAndAtLeastOneSecond()
    {
        var time = new FakeTimeProvider();
        var window = new OperationLatencyWindow(Window, time);
        for (var i = 0; i < 10; i++)
        {
            window.Record(AgentSphereOperation.List, TimeSpan.FromMilliseconds(1), 200);
        }

        var immediately = window.Read();
        time.Advance(TimeSpan.FromSeconds(5));
        var afterFive = window.Read();

        Assert.Equal(1, immediately.CoveredSeconds);
        Assert.Equal(10, immediately.Overall.RequestsPerSecond);
        Assert.Equal(5, afterFive.CoveredSeconds);
        Assert.Equal(2, afterFive.Overall.RequestsPerSecond);
    }

    private static void AssertWithinTolerance(double expectedMilliseconds, double actualMilliseconds)
    {
        var tolerance = Math.Max(expectedMilliseconds / 128, 0.0005);
        Assert.InRange(actualMilliseconds, expectedMilliseconds - tolerance, expectedMilliseconds + tolerance);
    }
}
