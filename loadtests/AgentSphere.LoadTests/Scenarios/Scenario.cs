using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary>A named test on the command line: which workload, how it is driven, and what it is judged against.</summary>
internal abstract class Scenario
{
    /// <summary>The name given on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the usage text.</summary>
    public abstract string Summary { get; }

    /// <summary>Callers when <c>--api-keys</c> is not given.</summary>
    public virtual int DefaultApiKeys => 100;

    /// <summary>About how long the scenario runs with these options (sizes the chart intervals).</summary>
    public abstract TimeSpan PlannedLength(LoadTestOptions options);

    /// <summary>Runs the scenario and returns its report.</summary>
    public abstract Task<ReportDocument> RunAsync(ScenarioContext context);
}
