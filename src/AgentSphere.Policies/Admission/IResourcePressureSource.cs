namespace AgentSphere.Policies.Admission;

/// <summary>The latest <see cref="ResourcePressure"/> sample and a signal when it changes.</summary>
public interface IResourcePressureSource
{
    /// <summary>The most recent sample; cheap to read on the request path.</summary>
    ResourcePressure Current { get; }

    /// <summary>Raised after each new sample, on the sampler's thread.</summary>
    event Action<ResourcePressure>? Sampled;
}
