using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Tests.Workloads;

public sealed class OperationMixTests
{
    [Fact]
    public void Default_SharesAddUpAndCreatesAreHalfAPercent()
    {
        var mix = OperationMix.Default;

        Assert.Equal(100, mix.Total, 9);
        Assert.Equal(0.35, mix.ShareOf(OperationNames.List), 9);
        Assert.Equal(0.005, mix.ShareOf(OperationNames.Deploy), 9);
        Assert.Equal(0.005, mix.ShareOf(OperationNames.Cleanup), 9);
        Assert.Equal(OperationMix.DefaultSpec.Split(',').Length, mix.Weights.Count);
    }

    [Theory]
    [InlineData(0.0, OperationNames.List)]
    [InlineData(0.3499, OperationNames.List)]
    [InlineData(0.35, OperationNames.Find)]
    [InlineData(0.6399, OperationNames.Find)]
    [InlineData(0.64, OperationNames.Connect)]
    [InlineData(0.89, OperationNames.Deploy)]
    [InlineData(0.895, OperationNames.Monitor)]
    [InlineData(0.995, OperationNames.Cleanup)]
    [InlineData(0.99999, OperationNames.Cleanup)]
    public void Draw_ScriptedUniform_PicksTheOperationWhoseCumulativeShareCoversIt(double uniform, string expected)
    {
        // Arrange: weights in report order list 35, find 29, connect 25, deploy 0.5, monitor 10, cleanup 0.5.
        var random = new ScriptedRandom([uniform]);

        // Act
        var drawn = OperationMix.Default.Draw(random);

        // Assert
        Assert.Equal(expected, drawn);
    }

    [Fact]
    public void Draw_SeededRandom_ReproducesTheSequenceAndTheShares()
    {
        // Arrange
        var mix = OperationMix.Parse("list=50,monitor=30,deploy=20");
        var first = new Random(7);
        var second = new Random(7);

        // Act
        var a = Enumerable.Range(0, 20_000).Select(_ => mix.Draw(first)).ToList();
        var b = Enumerable.Range(0, 20_000).Select(_ => mix.Draw(second)).ToList();

        // Assert: the same seed gives the same requests; the counts follow the weights.
        Assert.Equal(a, b);
        Assert.InRange(a.Count(o => o == OperationNames.List), 9_700, 10_300);
        Assert.InRange(a.Count(o => o == OperationNames.Monitor), 5_750, 6_250);
        Assert.InRange(a.Count(o => o == OperationNames.Deploy), 3_750, 4_250);
        Assert.DoesNotContain(OperationNames.Find, a);
    }

    [Theory]
    [InlineData("reads=10")]
    [InlineData("list")]
    [InlineData("list=-1")]
    [InlineData("list=abc")]
    [InlineData("list=0,find=0")]
    public void Parse_Invalid_Throws(string spec) =>
        Assert.Throws<FormatException>(() => OperationMix.Parse(spec));

    [Fact]
    public void Parse_AnyOrder_KeepsReportOrderAndDropsZeroWeights()
    {
        var mix = OperationMix.Parse("cleanup=1, list=3 ,connect=0");

        Assert.Equal([OperationNames.List, OperationNames.Cleanup], mix.Weights.Select(w => w.Key));
        Assert.Equal("list=3,cleanup=1", mix.ToString());
    }
}
