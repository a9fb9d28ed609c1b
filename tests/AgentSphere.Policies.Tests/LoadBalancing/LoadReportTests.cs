using System.Text;
using AgentSphere.Policies.LoadBalancing;

namespace AgentSphere.Policies.Tests.LoadBalancing;

public sealed class LoadReportTests
{
    [Theory]
    [InlineData("cpu=0.42;memory=0.31;queue=3", 0.42, 0.31, 3)]
    [InlineData(" queue=0 ; CPU=1 ; memory=0 ; extra=7", 1.0, 0.0, 0)]
    public void TryParseHeader_WellFormed_Parses(string header, double cpu, double memory, int queue)
    {
        Assert.True(LoadReport.TryParseHeader(header, out var report));
        Assert.Equal(new LoadReport(cpu, memory, queue), report);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cpu=0.4;memory=0.3")]
    [InlineData("cpu=1.5;memory=0.3;queue=1")]
    [InlineData("cpu=0.4;memory=-0.1;queue=1")]
    [InlineData("cpu=0.4;memory=0.3;queue=-2")]
    [InlineData("cpu=abc;memory=0.3;queue=1")]
    public void TryParseHeader_Malformed_Fails(string header)
    {
        Assert.False(LoadReport.TryParseHeader(header, out _));
    }

    [Fact]
    public void TryParseBody_HealthJson_Parses()
    {
        var json = """{"status":"ok","name":"sim-1","cpu":0.25,"memory":0.5,"queueLength":4,"activeSandboxes":2,"inFlight":6,"nested":{"cpu":9}}""";

        Assert.True(LoadReportingHealthPolicy.TryParseBody(Encoding.UTF8.GetBytes(json), out var report));
        Assert.Equal(new LoadReport(0.25, 0.5, 4), report);
    }

    [Theory]
    [InlineData("Health check successful")]
    [InlineData("""{"status":"ok"}""")]
    [InlineData("""{"cpu":0.2,"memory":0.2,"queueLength":"3"}""")]
    [InlineData("""[1,2]""")]
    public void TryParseBody_NotALoadReport_Fails(string body)
    {
        Assert.False(LoadReportingHealthPolicy.TryParseBody(Encoding.UTF8.GetBytes(body), out _));
    }
}
