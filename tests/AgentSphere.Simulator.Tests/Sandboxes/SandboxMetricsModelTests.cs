using AgentSphere.Simulator.Sandboxes;
using AgentSphere.Simulator.Tests.Infrastructure;

namespace AgentSphere.Simulator.Tests.Sandboxes;

public sealed class SandboxMetricsModelTests
{
    private static readonly SandboxInfo Sandbox = new(
        "abcdefghij0123456789", "base", "6532622b", "0.2.0", null, TestStore.Start, TestStore.Start.AddHours(1), SandboxState.Running, new Dictionary<string, string>(), false);

    [Fact]
    public void Range_AfterOneMinute_HasOneSampleEveryFiveSecondsFromStart()
    {
        var samples = SandboxMetricsModel.Range(Sandbox, TestStore.Start.AddSeconds(62), null, null);

        Assert.Equal(13, samples.Count); // 0, 5, ..., 60
        Assert.Equal(TestStore.Start.ToUnixTimeSeconds(), samples[0].TimestampUnix);
        Assert.All(samples.Zip(samples.Skip(1)), p => Assert.Equal(5, p.Second.TimestampUnix - p.First.TimestampUnix));
    }

    [Fact]
    public void Range_LongLivedSandbox_KeepsTheLastHundredSamples()
    {
        var now = TestStore.Start.AddHours(1);

        var samples = SandboxMetricsModel.Range(Sandbox, now, null, null);

        Assert.Equal(SandboxMetricsModel.MaxSamples, samples.Count);
        Assert.Equal(now.ToUnixTimeSeconds(), samples[^1].TimestampUnix);
    }

    [Fact]
    public void Range_StartAndEnd_SelectsTheWindow()
    {
        var start = TestStore.Start.ToUnixTimeSeconds();

        var samples = SandboxMetricsModel.Range(Sandbox, TestStore.Start.AddMinutes(5), start + 7, start + 20);

        Assert.Equal([start + 10, start + 15, start + 20], samples.Select(s => s.TimestampUnix));
    }

    [Fact]
    public void At_SameIdAndTime_IsDeterministicAndInRange()
    {
        var a = SandboxMetricsModel.At(Sandbox.Id, 1_700_000_000);
        var b = SandboxMetricsModel.At(Sandbox.Id, 1_700_000_000);
        var other = SandboxMetricsModel.At("zzzzzzzzzz0123456789", 1_700_000_000);

        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.InRange(a.CpuUsedPct, 0, 100);
        Assert.InRange(a.MemUsed, 0, a.MemTotal);
        Assert.InRange(a.DiskUsed, 0, a.DiskTotal);
    }
}
