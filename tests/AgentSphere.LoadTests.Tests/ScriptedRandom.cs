namespace AgentSphere.LoadTests.Tests;

/// <summary>A random source that returns scripted values, so a test states exactly which choice each draw makes.</summary>
internal sealed class ScriptedRandom(IEnumerable<double>? doubles = null, IEnumerable<int>? ints = null) : Random
{
    private readonly Queue<double> _doubles = new(doubles ?? []);
    private readonly Queue<int> _ints = new(ints ?? []);

    public override double NextDouble() => _doubles.Count > 0 ? _doubles.Dequeue() : throw new InvalidOperationException("No scripted double left.");

    public override int Next(int maxValue)
    {
        var value = _ints.Count > 0 ? _ints.Dequeue() : 0;
        return Math.Min(value, maxValue - 1);
    }
}
