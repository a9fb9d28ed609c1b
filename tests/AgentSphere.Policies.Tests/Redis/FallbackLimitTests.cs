using AgentSphere.Policies.Redis;

namespace AgentSphere.Policies.Tests.Redis;

public sealed class FallbackLimitTests
{
    [Theory]
    [InlineData(4, 0.5, 2)]
    [InlineData(3, 0.5, 2)]
    [InlineData(1, 0.5, 1)]
    [InlineData(10, 0.01, 1)]
    [InlineData(10, 1.0, 10)]
    [InlineData(0, 0.5, 0)]
    public void Scale_LimitAndShare_IsCeilingAtLeastOne(int limit, double share, int expected)
    {
        var scaled = FallbackLimit.Scale(limit, share);

        Assert.Equal(expected, scaled);
    }
}
