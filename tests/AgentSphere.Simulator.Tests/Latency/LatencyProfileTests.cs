using AgentSphere.Simulator.Api;
using AgentSphere.Simulator.Latency;

namespace AgentSphere.Simulator.Tests.Latency;

public sealed class LatencyProfileTests
{
    public static TheoryData<string, double, double, double> SeedTable => new()
    {
        { OperationNames.List, 120, 140, 150 },
        { OperationNames.Connect, 250, 290, 300 },
        { OperationNames.Find, 180, 195, 200 },
        { OperationNames.Deploy, 15000, 17000, 18000 },
        { OperationNames.Monitor, 600, 750, 800 },
        { OperationNames.Cleanup, 2800, 3100, 3200 },
        { OperationNames.KeepAlive, 120, 140, 150 },
        { OperationNames.Lifecycle, 2800, 3100, 3200 },
    };

    [Theory]
    [MemberData(nameof(SeedTable))]
    public void Quantile_AtConfiguredPoints_ReproducesSeedTableExactly(string operation, double p50, double p95, double p99)
    {
        Assert.True(LatencyProfiles.TryGet(operation, out var profile));

        Assert.Equal(p50, profile.Quantile(0.5), 9);
        Assert.Equal(p95, profile.Quantile(0.95), 9);
        Assert.Equal(p99, profile.Quantile(0.99), 9);
    }

    [Theory]
    [MemberData(nameof(SeedTable))]
    public void Quantile_OverManySeededDraws_MatchesSeedTableWithinOnePercent(string operation, double p50, double p95, double p99)
    {
        // Arrange
        Assert.True(LatencyProfiles.TryGet(operation, out var profile));
        var random = new Random(42);
        var samples = new double[200_000];

        // Act
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = profile.Quantile(random.NextDouble());
        }

        Array.Sort(samples);

        // Assert
        Assert.InRange(samples[(int)(samples.Length * 0.50)], p50 * 0.99, p50 * 1.01);
        Assert.InRange(samples[(int)(samples.Length * 0.95)], p95 * 0.99, p95 * 1.01);
        Assert.InRange(samples[(int)(samples.Length * 0.99)], p99 * 0.99, p99 * 1.01);
    }

    [Fact]
    public void Constructor_SeedListProfile_ExtrapolatesTails()
    {
        var profile = new LatencyProfile(120, 140, 150);

        Assert.Equal(80, profile.Min); // max(120 - 2·20, 60)
        Assert.Equal(160, profile.Max); // 150 + 10
        Assert.Equal(80, profile.Quantile(0));
        Assert.Equal(160, profile.Quantile(1));
    }

    [Fact]
    public void Constructor_WideSpread_FloorsMinimumAtHalfOfP50()
    {
        var profile = new LatencyProfile(100, 200, 250);

        Assert.Equal(50, profile.Min);
    }

    [Fact]
    public void TryGet_Health_HasNoProfile()
    {
        Assert.False(LatencyProfiles.TryGet(OperationNames.Health, out _));
    }

    [Fact]
    public void Constructor_DescendingQuantiles_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyProfile(100, 90, 120));
    }
}
