namespace AgentSphere.Policies.Admission;

/// <summary>How urgently a request is admitted when the gateway is busy; waiting requests are served critical first, oldest first within a priority.</summary>
public enum RequestPriority
{
    /// <summary>Served before everything else and never shed for CPU or memory (for example health checks).</summary>
    Critical = 0,

    /// <summary>Work that frees resources, such as cleanup.</summary>
    High = 1,

    /// <summary>The default.</summary>
    Normal = 2,

    /// <summary>Work that can wait, such as listing; shed first.</summary>
    Low = 3,
}
