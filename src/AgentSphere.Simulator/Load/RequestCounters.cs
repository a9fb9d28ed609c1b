using System.Collections.Frozen;
using AgentSphere.Simulator.Api;

namespace AgentSphere.Simulator.Load;

/// <summary>Requests served per operation name, for tests that count backend calls.</summary>
internal sealed class RequestCounters
{
    private static readonly FrozenDictionary<string, int> Indexes = OperationNames.All
        .Select((name, index) => (name, index))
        .ToFrozenDictionary(x => x.name, x => x.index, StringComparer.Ordinal);

    private readonly long[] _counts = new long[OperationNames.All.Count];

    public void Increment(string operation)
    {
        if (Indexes.TryGetValue(operation, out var index))
        {
            Interlocked.Increment(ref _counts[index]);
        }
    }

    /// <summary>The count for an operation; 0 for names that are not operations.</summary>
    public long Get(string operation) => Indexes.TryGetValue(operation, out var index) ? Interlocked.Read(ref _counts[index]) : 0;
}
