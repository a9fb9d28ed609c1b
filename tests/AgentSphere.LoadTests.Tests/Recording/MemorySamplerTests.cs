using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Tests.Recording;

public sealed class MemorySamplerTests
{
    [Fact]
    public void TryReadGauge_FindsTheUnlabelledGaugeAmongOthers()
    {
        const string text = """
            # HELP agentsphere_gateway_process_working_set_bytes The gateway process's working set, in bytes.
            # TYPE agentsphere_gateway_process_working_set_bytes gauge
            agentsphere_gateway_process_working_set_bytes_other 1
            agentsphere_gateway_process_working_set_bytes 104337408
            agentsphere_gateway_active_sandboxes 3
            """;

        Assert.Equal(104337408, MemorySampler.TryReadGauge(text, MemorySampler.GaugeName));
    }

    [Theory]
    [InlineData("g{instance=\"a\"} 1.5e8 1700000000000", 1.5e8)]
    [InlineData("g 42", 42.0)]
    [InlineData("gauge 42", null)]
    [InlineData("# g 42", null)]
    [InlineData("g NaN-ish", null)]
    public void TryReadGauge_LabelsTimestampsAndLookalikes(string text, double? expected) =>
        Assert.Equal(expected, MemorySampler.TryReadGauge(text, "g"));
}
