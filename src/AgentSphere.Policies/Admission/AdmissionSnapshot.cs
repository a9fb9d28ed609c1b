namespace AgentSphere.Policies.Admission;

/// <summary>The admission layer's state at one moment.</summary>
/// <param name="InService">Requests holding a global slot.</param>
/// <param name="Waiting">Requests waiting for one, per priority (index = <see cref="RequestPriority"/>).</param>
/// <param name="Pressure">The latest CPU and heap sample.</param>
public sealed record AdmissionSnapshot(int InService, IReadOnlyList<int> Waiting, ResourcePressure Pressure);
