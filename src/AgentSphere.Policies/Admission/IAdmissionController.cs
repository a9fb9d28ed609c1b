namespace AgentSphere.Policies.Admission;

/// <summary>Admits or refuses requests: global concurrency (with the priority queue and the CPU and memory guard), then the operation's limit, then the caller's concurrency, then the caller's daily quota.</summary>
public interface IAdmissionController
{
    /// <summary>Waits, if the global queue lets the request wait, until it is admitted or refused. Cancelling frees its place in the queue at once.</summary>
    ValueTask<AdmissionTicket> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);

    /// <summary>Requests in service and waiting, for health and metrics.</summary>
    AdmissionSnapshot Snapshot();
}
