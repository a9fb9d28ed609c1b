using AgentSphere.Policies.Admission;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class ProcessResourceSamplerTests
{
    [Fact]
    public async Task Sample_CpuTimeOverWallTimeAndCores_GivesPercentOfTheMachine()
    {
        var time = new FakeTimeProvider();
        var cpu = TimeSpan.FromSeconds(10);
        long heap = 1000;
        using var sampler = new ProcessResourceSampler(TimeSpan.FromSeconds(1), time, () => (cpu, heap), processorCount: 2);
        var seen = new List<ResourcePressure>();
        sampler.Sampled += seen.Add;
        await sampler.StartAsync(default);

        cpu += TimeSpan.FromSeconds(1.5); // 1.5 s of CPU in 1 s on 2 cores = 75 %
        heap = 5000;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(75, sampler.Current.CpuPercent, precision: 6);
        Assert.Equal(5000, sampler.Current.HeapBytes);
        Assert.Single(seen);

        time.Advance(TimeSpan.FromSeconds(1)); // idle second
        Assert.Equal(0, sampler.Current.CpuPercent, precision: 6);
        Assert.Equal(2, seen.Count);

        await sampler.StopAsync(default);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void Current_BeforeTheFirstSample_IsNoPressure()
    {
        using var sampler = new ProcessResourceSampler(TimeSpan.FromSeconds(1), new FakeTimeProvider(), () => (TimeSpan.Zero, 0), 1);

        Assert.Equal(ResourcePressure.None, sampler.Current);
    }
}
