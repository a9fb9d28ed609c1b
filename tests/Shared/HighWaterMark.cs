namespace AgentSphere.Testing;

/// <summary>Counts holders of something concurrently and remembers the most there ever were at once.</summary>
public sealed class HighWaterMark
{
    private int _current;
    private int _highest;

    /// <summary>The most holders there were at once.</summary>
    public int Highest => Volatile.Read(ref _highest);

    /// <summary>Records one more holder.</summary>
    public void Enter() => Observe(Interlocked.Increment(ref _current));

    /// <summary>Records one holder fewer.</summary>
    public void Exit() => Interlocked.Decrement(ref _current);

    /// <summary>Records a level seen elsewhere (for example a backend's in-flight count).</summary>
    public void Observe(int value)
    {
        var highest = Volatile.Read(ref _highest);
        while (value > highest)
        {
            var seen = Interlocked.CompareExchange(ref _highest, value, highest);
            if (seen == highest)
            {
                return;
            }

            highest = seen;
        }
    }
}
