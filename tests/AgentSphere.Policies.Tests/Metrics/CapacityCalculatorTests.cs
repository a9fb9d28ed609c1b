using AgentSphere.Policies.Metrics;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class CapacityCalculatorTests
{
    [Theory]
    [InlineData(0, 200, 0.0, 0)]
    [InlineData(10, 400, 1.0, 50)]
    [InlineData(50, 1200, 2.0, 250)]
    [InlineData(100, 2200, 2.0, 500)]
    public void Estimate_ConcurrentSandboxes_FollowsTheSeedFormula(int sandboxes, long memory, double cores, long network)
    {
        var estimate = CapacityCalculator.Estimate(sandboxes, new MachineResources(24_000, 2));

        Assert.Equal(sandboxes, estimate.ConcurrentSandboxes);
        Assert.Equal(memory, estimate.MemoryMegabytes);
        Assert.Equal(cores, estimate.Cores, precision: 9);
        Assert.Equal(network, estimate.NetworkMegabytesPerSecond);
    }

    [Theory]
    [InlineData(24_000, 2, 16, "cpu")]      // 2 cores x 0.8 / 0.1 = 16, exactly (not 15 from floating point)
    [InlineData(24_000, 16, 50, "cap")]     // 128 by CPU, 1185 by memory: the hard cap
    [InlineData(1_000, 16, 35, "memory")]   // (1000 - 300) / 20 = 35
    [InlineData(250, 4, 0, "memory")]       // less than the 300 MB reserve: nothing, not a negative limit
    public void Recommend_Machine_TakesTheSmallestBound(long availableMb, int processors, int limit, string limitedBy)
    {
        var recommendation = CapacityCalculator.Recommend(new MachineResources(availableMb, processors));

        Assert.Equal(limit, recommendation.Limit);
        Assert.Equal(limitedBy, recommendation.LimitedBy);
        Assert.Equal(50, recommendation.HardCap);
    }

    [Fact]
    public void Estimate_NegativeSandboxes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityCalculator.Estimate(-1, new MachineResources(1000, 1)));
    }
}
