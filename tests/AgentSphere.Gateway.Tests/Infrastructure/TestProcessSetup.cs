using System.Runtime.CompilerServices;

namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>Settings for the test process as a whole, applied when the assembly loads.</summary>
internal static class TestProcessSetup
{
    /// <summary>
    /// The test process hosts the load driver, gateways and simulators together on two cores, with bursts of a hundred requests
    /// in flight. The thread pool starts with one thread per core and adds more only every half second or so when work queues,
    /// which shows up as stalls of a second that belong to the test harness, not to the gateway (a gateway runs in its own
    /// process). Enough threads from the start keep the latency tests measuring the gateway.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completionPorts, 64));
    }
}
