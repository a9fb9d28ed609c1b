using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Diagnostics;
using Yarp.ReverseProxy.Configuration;

namespace AgentSphere.Gateway.Routing;

/// <summary>Logs every accepted and rejected change of the proxy configuration and keeps the latest rejection for operators.</summary>
internal sealed partial class ProxyConfigMonitor(ConfigFileStatus fileStatus, TimeProvider timeProvider, ILogger<ProxyConfigMonitor> logger)
    : IConfigChangeListener, IHostedService
{
    private readonly Lock _lock = new();
    private string? _lastRejection;
    private DateTimeOffset? _lastRejectionAt;
    private int _applied;

    /// <summary>Why the latest change was rejected (file or YARP validation), or null when the latest change is in force.</summary>
    public string? LastRejection
    {
        get
        {
            lock (_lock)
            {
                return _lastRejection;
            }
        }
    }

    public DateTimeOffset? LastRejectionAt
    {
        get
        {
            lock (_lock)
            {
                return _lastRejectionAt;
            }
        }
    }

    /// <summary>How many configurations YARP has applied, the first included.</summary>
    public int AppliedCount => Volatile.Read(ref _applied);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        fileStatus.Changed += OnFileChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        fileStatus.Changed -= OnFileChanged;
        return Task.CompletedTask;
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) =>
        Reject($"loading failed: {Describe(exception)}");

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception) =>
        Reject($"rejected: {Describe(exception)}");

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        Interlocked.Increment(ref _applied);
        lock (_lock)
        {
            _lastRejection = null;
        }

        var routes = proxyConfigs.Sum(c => c.Routes.Count);
        var clusters = proxyConfigs.Sum(c => c.Clusters.Count);
        LogApplied(logger, fileStatus.Path, routes, clusters);
    }

    private static string Describe(Exception exception)
    {
        if (exception is AggregateException aggregate)
        {
            return string.Join(" ", aggregate.Flatten().InnerExceptions.Select(Describe));
        }

        return exception.InnerException is null ? exception.Message : $"{exception.Message} {Describe(exception.InnerException)}";
    }

    private void OnFileChanged(ConfigFileStatus status)
    {
        if (status.LastError is { } error)
        {
            Reject(error);
        }
    }

    private void Reject(string reason)
    {
        lock (_lock)
        {
            _lastRejection = reason;
            _lastRejectionAt = timeProvider.GetUtcNow();
        }

        LogRejected(logger, fileStatus.Path, reason);
    }

    [LoggerMessage(EventId = GatewayEventIds.ProxyConfigApplied, Level = LogLevel.Information,
        Message = "Proxy configuration from {Path} is in force: {Routes} routes, {Clusters} clusters")]
    private static partial void LogApplied(ILogger logger, string path, int routes, int clusters);

    [LoggerMessage(EventId = GatewayEventIds.ProxyConfigRejected, Level = LogLevel.Error,
        Message = "Proxy configuration change in {Path} was rejected; the previous configuration stays in force. Reason: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);
}
