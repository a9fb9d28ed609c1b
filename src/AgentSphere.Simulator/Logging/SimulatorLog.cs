
namespace AgentSphere.Simulator.Logging;

/// <summary>Every log message of the simulator, with stable event ids. The simulator logs little: it runs at thousands of requests per second.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Simulator {Name} listening on {Address}")]
    public static partial void Started(ILogger logger, string name, Uri address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Simulator {Name} faults set: extraLatencyMs={ExtraLatencyMs} latencyFactor={LatencyFactor} errorRate={ErrorRate} errorStatusCode={ErrorStatusCode} down={Down}")]
    public static partial void FaultsSet(ILogger logger, string name, int extraLatencyMs, double latencyFactor, double errorRate, int errorStatusCode, bool down);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Simulator {Name} faults cleared")]
    public static partial void FaultsCleared(ILogger logger, string name);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Count} sandboxes reached their end time")]
    public static partial void SandboxesExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Unhandled exception while serving {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);
}
