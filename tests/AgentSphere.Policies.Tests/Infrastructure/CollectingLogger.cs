using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentSphere.Policies.Tests.Infrastructure;

/// <summary>Keeps every log line (message and exception text) so tests can check what was logged.</summary>
internal sealed class CollectingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Text)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception) + Environment.NewLine + exception));
}
