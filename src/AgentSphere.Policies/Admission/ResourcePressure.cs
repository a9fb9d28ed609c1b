namespace AgentSphere.Policies.Admission;

/// <summary>A sample of the gateway process's own load, taken off the request path.</summary>
/// <param name="CpuPercent">Process CPU over the last sample interval, 0 to 100 of all cores.</param>
/// <param name="HeapBytes">Managed heap size after the last GC plus what was allocated since.</param>
public readonly record struct ResourcePressure(double CpuPercent, long HeapBytes)
{
    /// <summary>No load: what the guard assumes before the first sample.</summary>
    public static ResourcePressure None => default;
}
