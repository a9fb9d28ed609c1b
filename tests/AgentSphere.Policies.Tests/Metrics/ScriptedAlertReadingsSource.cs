using AgentSphere.Policies.Metrics;

namespace AgentSphere.Policies.Tests.Metrics;

/// <summary>An <see cref="IAlertReadingsSource"/> that answers with whatever the test sets: readings, an exception, or a read that has not finished.</summary>
internal sealed class ScriptedAlertReadingsSource : IAlertReadingsSource
{
    public AlertReadings Readings { get; set; } = new(null, null, null, null, null);

    public Exception? Failure { get; set; }

    public TaskCompletionSource<AlertReadings>? Pending { get; set; }

    public int Reads { get; private set; }

    public ValueTask<AlertReadings> ReadAsync(CancellationToken cancellationToken)
    {
        Reads++;
        if (Failure is not null)
        {
            return ValueTask.FromException<AlertReadings>(Failure);
        }

        return Pending is not null ? new ValueTask<AlertReadings>(Pending.Task) : ValueTask.FromResult(Readings);
    }
}
