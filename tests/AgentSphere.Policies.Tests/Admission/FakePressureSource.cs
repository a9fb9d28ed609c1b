using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Admission;

/// <summary>A scripted <see cref="IResourcePressureSource"/>: setting <see cref="Current"/> raises <see cref="Sampled"/>.</summary>
internal sealed class FakePressureSource : IResourcePressureSource
{
    private readonly Lock _lock = new();
    private ResourcePressure _current;

    /// <inheritdoc/>
    public event Action<ResourcePressure>? Sampled;

    /// <summary>The latest sample; setting it raises <see cref="Sampled"/> on the caller's thread.</summary>
    public ResourcePressure Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }

        set
        {
            SetWithoutSampling(value);
            Sampled?.Invoke(value);
        }
    }

    /// <summary>Handlers subscribed to <see cref="Sampled"/>.</summary>
    public int SubscriberCount => Sampled?.GetInvocationList().Length ?? 0;

    /// <summary>Changes <see cref="Current"/> without raising <see cref="Sampled"/>, as between two sampler ticks.</summary>
    public void SetWithoutSampling(ResourcePressure value)
    {
        lock (_lock)
        {
            _current = value;
        }
    }
}
