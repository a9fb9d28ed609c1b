using AgentSphere.LoadTests.Cli;
using AgentSphere.LoadTests.Load;
using AgentSphere.LoadTests.Recording;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary>What every scenario runs with: the options, the sender, the clock, the progress line, the series and the memory sampler.</summary>
internal sealed class ScenarioContext(LoadTestOptions options, RequestSender sender, TimeProvider time, ProgressReporter progress, CancellationToken stop)
{
    public LoadTestOptions Options => options;

    public RequestSender Sender => sender;

    public TimeProvider Time => time;

    public ProgressReporter Progress => progress;

    public TimeSeries Series => progress.Series;

    public MemorySampler Memory => progress.Memory;

    /// <summary>Signalled by the first SIGINT/SIGTERM: no new requests, finish those in flight, still report.</summary>
    public CancellationToken Stop => stop;
}
