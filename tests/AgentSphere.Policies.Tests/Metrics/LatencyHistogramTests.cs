using AgentSphere.Policies.Metrics;

namespace AgentSphere.Policies.Tests.Metrics;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void BucketCount_HighestTrackableValue_IsTheLastBucket()
    {
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketIndex(LatencyHistogram.HighestTrackableMicroseconds));
    }

    [Fact]
    public void BucketIndex_EveryBucket_IsContiguousAndAtMostOneSixtyFourthWide()
    {
        for (var index = 0; index < LatencyHistogram.BucketCount; index++)
        {
            var lower = LatencyHistogram.LowerBound(index);
            var width = LatencyHistogram.Width(index);

            Assert.Equal(index, LatencyHistogram.BucketIndex(lower));
            Assert.Equal(index, LatencyHistogram.BucketIndex(lower + width - 1));
            if (index + 1 < LatencyHistogram.BucketCount)
            {
                Assert.Equal(lower + width, LatencyHistogram.LowerBound(index + 1));
            }

            Assert.True(width == 1 || width * 64 <= lower, $"bucket {index} [{lower}, {lower + width}) is wider than 1/64 of its lower bound");
        }
    }

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(127, 127)]
    [InlineData(long.MaxValue, LatencyHistogram.BucketCount - 1)]
    public void BucketIndex_OutOfRange_Clamps(long microseconds, int expected)
    {
        Assert.Equal(expected, LatencyHistogram.BucketIndex(microseconds));
    }
}
