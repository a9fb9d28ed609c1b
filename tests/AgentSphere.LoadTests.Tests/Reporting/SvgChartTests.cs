using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Tests.Reporting;

public sealed class SvgChartTests
{
    [Theory]
    [InlineData(800, new[] { 0.0, 200, 400, 600, 800 })]
    [InlineData(840, new[] { 0.0, 200, 400, 600, 800, 1000 })]
    [InlineData(57, new[] { 0.0, 20, 40, 60 })]
    [InlineData(0.3, new[] { 0.0, 0.1, 0.2, 0.3 })]
    [InlineData(0, new[] { 0.0, 1 })]
    public void NiceTicks_RoundStepsFromZeroPastTheMaximum(double max, double[] expected) =>
        Assert.Equal(expected, SvgChart.NiceTicks(max));

    [Fact]
    public void Render_EscapesTextAndSkipsLabelsThatDoNotFit()
    {
        var svg = SvgChart.Render(
            "a < b",
            "ms",
            [new ChartLine("P99", "#c00", [(0, 1), (1, 2)])],
            [new ChartBand(0, 0.001, "a very long label that cannot fit", false)],
            [],
            10);

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
        Assert.Contains("a &lt; b", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("a very long label", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg, StringComparison.Ordinal);
    }
}
