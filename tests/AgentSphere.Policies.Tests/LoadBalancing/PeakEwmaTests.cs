using AgentSphere.Policies.LoadBalancing;

namespace AgentSphere.Policies.Tests.LoadBalancing;

public sealed class PeakEwmaTests
{
    private const double Tau = 10_000; // ticks
    private readonly PeakEwma _ewma = new();

    [Fact]
    public void Record_Spike_IsTakenAtOnce()
    {
        _ewma.Record(100, 0, Tau);
        _ewma.Record(100, 1_000, Tau);

        _ewma.Record(900, 1_001, Tau);

        Assert.Equal(900, _ewma.Read(1_001, Tau));
    }

    [Fact]
    public void Record_FastSamplesAfterSpike_RecoverSlowly()
    {
        _ewma.Record(900, 0, Tau);

        _ewma.Record(100, 100, Tau);
        var soonAfter = _ewma.Read(100, Tau);
        for (var t = 200; t <= 30_000; t += 100)
        {
            _ewma.Record(100, t, Tau);
        }

        var threeTausLater = _ewma.Read(30_000, Tau);

        Assert.InRange(soonAfter, 880, 900);
        Assert.InRange(threeTausLater, 100, 145);
    }

    [Fact]
    public void Read_Idle_DecaysTowardsZero()
    {
        _ewma.Record(800, 0, Tau);

        Assert.Equal(800, _ewma.Read(0, Tau));
        Assert.InRange(_ewma.Read((long)Tau, Tau), 294, 295);
    }

    [Fact]
    public void HasSamples_BeforeAndAfterFirstRecord()
    {
        Assert.False(_ewma.HasSamples);

        _ewma.Record(1, 0, Tau);

        Assert.True(_ewma.HasSamples);
    }
}
