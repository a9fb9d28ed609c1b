namespace AgentSphere.LoadTests.Cli;

/// <summary>A command line that cannot be run; the message says which argument and why.</summary>
internal sealed class UsageException(string message) : Exception(message);
