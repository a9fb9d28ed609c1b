namespace AgentSphere.Policies.Resilience;

/// <summary>How one forwarding attempt ended, as far as retrying is concerned.</summary>
public enum AttemptOutcome
{
    /// <summary>A response the client should get (2xx to 4xx, or a 5xx that is not worth retrying).</summary>
    Completed = 0,

    /// <summary>No connection to the backend: the request was never sent, so any method may be retried.</summary>
    ConnectFailure,

    /// <summary>The connection failed after the request may have been sent.</summary>
    TransportFailure,

    /// <summary>The backend answered 500, 502, 503 or 504.</summary>
    ServerError,

    /// <summary>The request's timeout expired.</summary>
    TimedOut,

    /// <summary>This attempt took longer than the operation's per-attempt timeout and was abandoned.</summary>
    AttemptTimedOut,

    /// <summary>No destination was available.</summary>
    NoDestination,

    /// <summary>The client went away.</summary>
    ClientGone,
}
