using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>Keeps the text of every log entry of a gateway (message, structured values, scopes and exception), so a test can search a run's logs.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Every entry so far, one string each.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private static string Describe(object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return string.Join("; ", pairs.Select(p => $"{p.Key}={Describe(p.Value)}"));
        }

        if (state is IEnumerable sequence and not string)
        {
            return string.Join(",", sequence.Cast<object?>().Select(Describe));
        }

        return state?.ToString() ?? string.Empty;
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._entries.Enqueue($"scope {category}: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue($"{logLevel} {category} [{eventId}]: {formatter(state, exception)} | {Describe(state)} | {exception}");
    }
}
