namespace AgentSphere.Policies.LoadBalancing;

/// <summary>A latency average that jumps to a spike at once and recovers from it slowly.</summary>
/// <remarks>
/// A sample above the average replaces it (the peak); a sample below pulls it down with weight 1 − e^(−Δt/τ), Δt being
/// the time since the previous sample, so recovery takes a few τ whatever the request rate. Read without a sample,
/// the value decays towards zero with the same τ: an idle destination slowly looks fast again and gets probed by
/// real traffic instead of being shunned forever. Updates take a lock (response path); reads take none (pick path).
/// </remarks>
internal sealed class PeakEwma
{
    private readonly Lock _lock = new();
    private double _value;
    private long _updatedAt;
    private int _samples;

    /// <summary>Whether any sample was recorded.</summary>
    public bool HasSamples => Volatile.Read(ref _samples) > 0;

    public void Record(double sampleMs, long timestamp, double tauTicks)
    {
        lock (_lock)
        {
            if (_samples == 0 || sampleMs >= _value)
            {
                _value = sampleMs;
            }
            else
            {
                var weight = Math.Exp(-Math.Max(0, timestamp - _updatedAt) / tauTicks);
                _value = (_value * weight) + (sampleMs * (1 - weight));
            }

            Volatile.Write(ref _updatedAt, timestamp);
            Volatile.Write(ref _samples, _samples + 1);
        }
    }

    /// <summary>The average as of <paramref name="now"/>, in ms; 0 without samples.</summary>
    public double Read(long now, double tauTicks)
    {
        var value = Volatile.Read(ref _value);
        var idle = now - Volatile.Read(ref _updatedAt);
        return idle <= 0 ? value : value * Math.Exp(-idle / tauTicks);
    }
}
