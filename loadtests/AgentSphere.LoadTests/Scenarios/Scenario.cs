namespace AgentSphere.LoadTests.Scenarios;

/// <summary>A workload: the request sent at each arrival of an open-loop schedule.</summary>
/// <remarks>
/// The engine decides when requests start (the schedule), the scenario decides what they are. <see cref="Next"/> is
/// called once per arrival, in order, from one thread, so a scenario needs no locking for its own sequence.
/// <see cref="OnCompleted"/> runs on whichever thread finished the request; a scenario that chains requests (create,
/// then read and delete what it created) keeps what it learns there in a thread-safe structure.
/// </remarks>
internal abstract class Scenario
{
    /// <summary>The name given on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>The operations this scenario reports, in report order.</summary>
    public abstract IReadOnlyList<string> Operations { get; }

    /// <summary>The request for the next arrival.</summary>
    public abstract ScenarioRequest Next();

    /// <summary>Called when a request has finished, successfully or not.</summary>
    public virtual void OnCompleted(ScenarioRequest request, RequestOutcome outcome)
    {
    }
}
