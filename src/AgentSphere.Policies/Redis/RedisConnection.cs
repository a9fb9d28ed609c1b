using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>The gateway's one connection to Redis: connects and reconnects in the background and says whether shared state may be used right now.</summary>
/// <remarks>
/// The multiplexer is created with <c>AbortOnConnectFail=false</c> and a fail-fast backlog, so start-up never waits for Redis and
/// a command issued while disconnected fails at once instead of queueing. On top of the multiplexer's own view (connected or not),
/// a failure reported by a caller (<see cref="ReportFailure"/>) opens a back-off of <see cref="RedisOptions.RetryInterval"/>,
/// measured on the injected <see cref="TimeProvider"/>, during which <see cref="TryGetDatabase"/> says no, so requests go straight to
/// local state instead of each waiting for a timeout. The configuration string is never logged (it may carry a password);
/// only host:port is.
/// </remarks>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private static readonly TimeSpan MinConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly RedisOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConfigurationOptions? _configuration;
    private readonly long _retryIntervalTicks;
    private readonly CancellationTokenSource _disposing = new();
    private readonly TaskCompletionSource<Exception?> _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private ConnectionMultiplexer? _multiplexer;
    private long _retryAfterTimestamp = long.MinValue;
    private volatile RedisState _state;
    private bool _disposed;

    public RedisConnection(IOptions<RedisOptions> options, TimeProvider timeProvider, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _retryIntervalTicks = (long)Math.Min(_options.RetryInterval.TotalSeconds * timeProvider.TimestampFrequency, long.MaxValue / 4);
        InstanceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        if (!_options.IsConfigured)
        {
            _state = RedisState.NotConfigured;
            Endpoints = string.Empty;
            _firstAttempt.SetResult(null);
            LogNotConfigured(_logger);
            return;
        }

        _configuration = CreateConfiguration(_options);
        Endpoints = DescribeEndpoints(_configuration);
        _state = RedisState.Unavailable;
        LogConnecting(_logger, Endpoints);
        _ = Task.Run(ConnectAsync);
    }

    /// <summary>Raised on every change of <see cref="State"/>, on whichever thread noticed it.</summary>
    public event Action<RedisState>? StateChanged;

    /// <summary>Random id of this gateway instance, used to make lease ids unique across instances.</summary>
    public string InstanceId { get; }

    /// <summary>The configured endpoints as host:port (never the password), for log lines and error messages.</summary>
    public string Endpoints { get; }

    /// <summary>Whether shared state is in use, not configured, or unavailable right now.</summary>
    public RedisState State
    {
        get
        {
            Refresh(null);
            return _state;
        }
    }

    /// <summary>Whether <see cref="TryGetDatabase"/> would give a database right now.</summary>
    public bool IsAvailable => TryGetDatabase(out _);

    /// <summary>The database to count shared state in, unless Redis is not configured, not connected or backing off after a failure.</summary>
    public bool TryGetDatabase([NotNullWhen(true)] out IDatabase? database)
    {
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null || !multiplexer.IsConnected || InBackoff())
        {
            database = null;
            if (_state == RedisState.Connected)
            {
                Refresh(null);
            }

            return false;
        }

        if (_state != RedisState.Connected)
        {
            Refresh(null);
        }

        database = multiplexer.GetDatabase();
        return true;
    }

    /// <summary>Like <see cref="TryGetDatabase"/> but ignores the back-off: for releases, refunds and lease renewals, which must not be skipped after one failed command while the connection is up.</summary>
    public bool TryGetDatabaseForCleanup([NotNullWhen(true)] out IDatabase? database)
    {
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null || !multiplexer.IsConnected)
        {
            database = null;
            return false;
        }

        database = multiplexer.GetDatabase();
        return true;
    }

    /// <summary>The pub/sub side of the connection while it is up, back-off ignored: a subscription is not a command on the request path, and the multiplexer renews it after a reconnect.</summary>
    public bool TryGetSubscriber([NotNullWhen(true)] out ISubscriber? subscriber)
    {
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null || !multiplexer.IsConnected)
        {
            subscriber = null;
            return false;
        }

        subscriber = multiplexer.GetSubscriber();
        return true;
    }

    /// <summary>Records that a command failed: shared state is not used for <see cref="RedisOptions.RetryInterval"/>; logs once per transition.</summary>
    public void ReportFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (_configuration is null)
        {
            return;
        }

        Volatile.Write(ref _retryAfterTimestamp, _timeProvider.GetTimestamp() + _retryIntervalTicks);
        Refresh(exception);
    }

    /// <summary>Records that a command succeeded, so a recovery shows in <see cref="State"/> without waiting for the next query.</summary>
    public void ReportSuccess()
    {
        if (_state != RedisState.Connected)
        {
            Refresh(null);
        }
    }

    /// <summary>Waits for the first connection attempt and throws when it did not connect; used at start-up when <see cref="RedisOptions.Required"/> is true.</summary>
    public async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_configuration is null)
        {
            return;
        }

        var attemptError = await _firstAttempt.Task.WaitAsync(cancellationToken);
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is { IsConnected: true })
        {
            Refresh(null);
            return;
        }

        throw new RedisConnectionException(
            ConnectionFailureType.UnableToConnect,
            $"Redis at {Endpoints} could not be reached within {_configuration.ConnectTimeout} ms and {RedisOptions.SectionName}:{nameof(RedisOptions.Required)} is true. " +
            $"Start Redis, correct {RedisOptions.SectionName}:{nameof(RedisOptions.Configuration)} (host, port, password, ssl), or set {RedisOptions.SectionName}:{nameof(RedisOptions.Required)} to false to start on local state.",
            attemptError);
    }

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer? multiplexer;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            multiplexer = _multiplexer;
            _multiplexer = null;
        }

        // Not waiting for a connect in progress (up to ConnectTimeout): the connect loop disposes what it gets once it sees _disposed.
        await _disposing.CancelAsync();
        if (multiplexer is not null)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            await multiplexer.DisposeAsync();
        }
    }

    private static ConfigurationOptions CreateConfiguration(RedisOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.SetDefaultPorts();
        var operationMs = ToMilliseconds(options.OperationTimeout);
        configuration.AbortOnConnectFail = false;
        configuration.SyncTimeout = operationMs;
        configuration.AsyncTimeout = operationMs;

        // A connect is TCP + TLS + AUTH and never on the request path (commands fail fast while disconnected), so it gets more time than a command.
        configuration.ConnectTimeout = Math.Max(operationMs, ToMilliseconds(MinConnectTimeout));
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(ToMilliseconds(options.RetryInterval));
        return configuration;
    }

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);

    private static string DescribeEndpoints(ConfigurationOptions configuration) =>
        string.Join(",", configuration.EndPoints.Select(endpoint => endpoint switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            IPEndPoint ip => ip.ToString(),
            _ => endpoint.GetType().Name,
        }));

    private async Task ConnectAsync()
    {
        while (!_disposing.IsCancellationRequested)
        {
            try
            {
                var multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration!);
                multiplexer.ConnectionFailed += OnConnectionFailed;
                multiplexer.ConnectionRestored += OnConnectionRestored;
                lock (_lock)
                {
                    if (_disposed)
                    {
                        multiplexer.Dispose();
                        return;
                    }

                    _multiplexer = multiplexer;
                }

                if (!multiplexer.IsConnected)
                {
                    LogConnectPending(_logger, Endpoints, _options.RetryInterval);
                }

                Refresh(null);
                _firstAttempt.TrySetResult(null);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Only configuration-level problems get here; an unreachable server still yields a multiplexer that keeps retrying.
                LogConnectAttemptFailed(_logger, Endpoints, _options.RetryInterval, ex);
                _firstAttempt.TrySetResult(ex);
            }

            try
            {
                await Task.Delay(_options.RetryInterval, _timeProvider, _disposing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => Refresh(e.Exception);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Refresh(null);

    private bool InBackoff() => _timeProvider.GetTimestamp() < Volatile.Read(ref _retryAfterTimestamp);

    private RedisState Evaluate()
    {
        if (_configuration is null)
        {
            return RedisState.NotConfigured;
        }

        var multiplexer = Volatile.Read(ref _multiplexer);
        return multiplexer is { IsConnected: true } && !InBackoff() ? RedisState.Connected : RedisState.Unavailable;
    }

    private void Refresh(Exception? cause)
    {
        var next = Evaluate();
        if (next == _state)
        {
            return;
        }

        lock (_lock)
        {
            next = Evaluate();
            if (next == _state)
            {
                return;
            }

            _state = next;
            if (next == RedisState.Connected)
            {
                LogConnected(_logger, Endpoints);
            }
            else
            {
                LogUnavailable(_logger, Endpoints, _options.RetryInterval, cause);
            }

            try
            {
                StateChanged?.Invoke(next);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A faulty subscriber must not turn a reported Redis failure into a failed request.
                LogStateHandlerFailed(_logger, next, ex);
            }
        }
    }

    [LoggerMessage(EventId = RedisEventIds.NotConfigured, Level = LogLevel.Information,
        Message = "Redis is not configured; concurrency and quota counters are local to this instance")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(EventId = RedisEventIds.Connecting, Level = LogLevel.Information,
        Message = "Connecting to Redis at {Endpoints} in the background; counters stay local until connected")]
    private static partial void LogConnecting(ILogger logger, string endpoints);

    [LoggerMessage(EventId = RedisEventIds.ConnectPending, Level = LogLevel.Warning,
        Message = "Redis at {Endpoints} is not reachable yet; counters stay local and the connection is retried every {RetryInterval}")]
    private static partial void LogConnectPending(ILogger logger, string endpoints, TimeSpan retryInterval);

    [LoggerMessage(EventId = RedisEventIds.ConnectAttemptFailed, Level = LogLevel.Error,
        Message = "Connecting to Redis at {Endpoints} failed; retrying in {RetryInterval}")]
    private static partial void LogConnectAttemptFailed(ILogger logger, string endpoints, TimeSpan retryInterval, Exception exception);

    [LoggerMessage(EventId = RedisEventIds.Connected, Level = LogLevel.Information,
        Message = "Redis at {Endpoints} is available; concurrency and quota counters are shared")]
    private static partial void LogConnected(ILogger logger, string endpoints);

    [LoggerMessage(EventId = RedisEventIds.Unavailable, Level = LogLevel.Warning,
        Message = "Redis at {Endpoints} is unavailable; counters are local with a reduced share of each limit, retrying after {RetryInterval}")]
    private static partial void LogUnavailable(ILogger logger, string endpoints, TimeSpan retryInterval, Exception? exception);

    [LoggerMessage(EventId = RedisEventIds.StateHandlerFailed, Level = LogLevel.Error,
        Message = "A Redis state change handler failed for state {State}")]
    private static partial void LogStateHandlerFailed(ILogger logger, RedisState state, Exception exception);
}
