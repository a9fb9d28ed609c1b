namespace AgentSphere.Testing;

/// <summary>Waits for a condition with a deadline instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? DefaultDeadline);
        T last = default!;
        while (!cts.IsCancellationRequested)
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            try
            {
                await Task.Delay(25, cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"Timed out waiting for {what}; last value: {last}");
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what, deadline);
}
