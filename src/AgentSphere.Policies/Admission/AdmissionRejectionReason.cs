namespace AgentSphere.Policies.Admission;

/// <summary>Why the global admission stage refused a request; <see cref="None"/> on a granted lease.</summary>
public enum AdmissionRejectionReason
{
    /// <summary>Not refused: the lease holds a permit.</summary>
    None = 0,

    /// <summary>No permit was free and the request could not wait: the queue was full, queueing is off, the caller did not wait, or the limiter was disposed.</summary>
    QueueFull = 1,

    /// <summary>The request waited longer than the queue timeout.</summary>
    QueueTimeout = 2,

    /// <summary>A low-priority request was dropped to make room for more urgent work.</summary>
    Shed = 3,

    /// <summary>Process CPU is above the shed (or, for a request that cannot wait, the wait) threshold for the request's priority.</summary>
    Cpu = 4,

    /// <summary>The managed heap is above its limit, so normal and low priority requests are refused.</summary>
    Memory = 5,
}
