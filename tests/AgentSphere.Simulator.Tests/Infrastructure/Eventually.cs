namespace AgentSphere.Simulator.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, string what, Action? nudge = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            nudge?.Invoke();
            await Task.Delay(10);
        }
    }

    /// <summary>Advances a fake clock in steps until <paramref name="task"/> completes.</summary>
    public static async Task<T> AdvanceUntilAsync<T>(Task<T> task, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TimeSpan step)
    {
        await WaitUntilAsync(() => task.IsCompleted, "the task completed", () => clock.Advance(step));
        return await task;
    }
}
