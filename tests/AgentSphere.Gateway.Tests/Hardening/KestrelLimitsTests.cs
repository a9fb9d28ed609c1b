using AgentSphere.Gateway.Limits;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>How <see cref="KestrelLimits"/> maps Gateway:Limits onto Kestrel's options: the backstop margins and the rates no socket test can tell from Kestrel's defaults.</summary>
public sealed class KestrelLimitsTests
{
    [Fact]
    public void Apply_Sizes_SetsKestrelsLimitsSomewhatAboveTheConfiguredOnes()
    {
        var kestrel = new KestrelServerOptions();
        var limits = new LimitsOptions { MaxUrlBytes = 8192, MaxRequestHeaderCount = 100, MaxRequestHeadersTotalBytes = 32768, MaxRequestBodyBytes = 4_000_000 };

        KestrelLimits.Apply(kestrel, limits);

        Assert.Equal(8192 + 2048 + 64, kestrel.Limits.MaxRequestLineSize);
        Assert.Equal(125, kestrel.Limits.MaxRequestHeaderCount);
        Assert.Equal(32768 + 8192, kestrel.Limits.MaxRequestHeadersTotalSize);
        Assert.Equal(4_000_000 + 1_000_000, kestrel.Limits.MaxRequestBodySize);
    }

    [Fact]
    public void Apply_MinResponseDataRate_IsTheConfiguredRateAndGrace()
    {
        // A socket test cannot tell this from Kestrel's default: Kestrel gives each blocked write max(grace, bytes / rate), so
        // a stalled reader of small writes is cut after the grace period under either value.
        var kestrel = new KestrelServerOptions();

        KestrelLimits.Apply(kestrel, new LimitsOptions { MinResponseDataRate = 50_000, MinResponseDataRateGracePeriod = TimeSpan.FromSeconds(3) });

        Assert.Equal(50_000, kestrel.Limits.MinResponseDataRate?.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(3), kestrel.Limits.MinResponseDataRate?.GracePeriod);
    }

    [Fact]
    public void Apply_RatesOfZero_TurnTheRatesOff()
    {
        var kestrel = new KestrelServerOptions();

        KestrelLimits.Apply(kestrel, new LimitsOptions { MinRequestBodyDataRate = 0, MinResponseDataRate = 0 });

        Assert.Null(kestrel.Limits.MinRequestBodyDataRate);
        Assert.Null(kestrel.Limits.MinResponseDataRate);
    }
}
