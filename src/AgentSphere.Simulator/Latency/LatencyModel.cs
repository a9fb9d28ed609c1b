using AgentSphere.Simulator.Randomness;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Latency;

/// <summary>Draws the simulated service time of one API request.</summary>
internal sealed class LatencyModel(SimulatorRandom random, IOptions<SimulatorOptions> options)
{
    private readonly double _scale = options.Value.LatencyScale;

    /// <summary>Profile sample × <c>LatencyScale</c> × fault <c>LatencyFactor</c> + fault <c>ExtraLatencyMs</c>.</summary>
    /// <remarks>No random number is drawn when the scale is 0, so a latency-free run's ids depend only on the requests.</remarks>
    public TimeSpan NextDelay(string operation, SimulatorFaults faults)
    {
        var scale = _scale * faults.LatencyFactor;
        var milliseconds = 0.0;
        if (scale > 0 && LatencyProfiles.TryGet(operation, out var profile))
        {
            milliseconds = profile.Quantile(random.NextDouble()) * scale;
        }

        milliseconds += faults.ExtraLatencyMs;
        return milliseconds > 0 ? TimeSpan.FromMilliseconds(milliseconds) : TimeSpan.Zero;
    }
}
