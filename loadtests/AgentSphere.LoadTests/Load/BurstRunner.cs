using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Load;

/// <summary>Sends rounds of requests that start together: a round's requests all begin at once, the next round starts when all have ended and a pause has passed.</summary>
/// <remarks>
/// The seed's concurrency table counts requests in flight at once ("10 concurrent lists, 150 ms"): that is a burst, not a
/// rate. Each round is one such burst, so every request of it meets the others in the gateway; the pause between rounds
/// keeps the part from turning into a flood of cache hits. Latency is the service time (there is no schedule to fall
/// behind). Rounds continue until the deadline passes (at least one round; without a deadline, exactly one) or the round
/// source returns null.
/// </remarks>
internal sealed class BurstRunner(RequestSender sender, TimeProvider time, ProgressReporter progress)
{
    /// <summary>Pause between the end of one round and the start of the next.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs rounds and records them into <paramref name="phase"/> of <paramref name="recorder"/>.</summary>
    /// <param name="label">Phase label for the progress line and the charts.</param>
    /// <param name="round">The requests of round <c>r</c> (0-based), or null to stop.</param>
    /// <param name="workload">Gets <see cref="Workload.OnCompleted"/> for every request (pool bookkeeping), or null.</param>
    /// <param name="duration">No round starts after this long; null for a single round.</param>
    /// <param name="recorder">Where the requests are recorded.</param>
    /// <param name="phase">The recorder phase.</param>
    /// <param name="stop">Stops after the current round.</param>
    public async Task<(TimeSpan Start, TimeSpan End, int Rounds)> RunAsync(
        string label,
        Func<int, IReadOnlyList<WorkloadRequest>?> round,
        Workload? workload,
        TimeSpan? duration,
        Recorder recorder,
        int phase,
        CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(recorder);
        var start = progress.Series.Elapsed;
        var started = time.GetTimestamp();
        var rounds = 0;
        var all = RoundsAsync();
        await progress.RunAsync(() => label, recorder, workload, all);
        await all;
        var end = progress.Series.Elapsed;
        progress.Series.AddPhase(label, start, end, measured: true);
        return (start, end, rounds);

        async Task RoundsAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                if (rounds > 0 && (duration is not { } limit || time.GetElapsedTime(started) >= limit))
                {
                    return;
                }

                if (round(rounds) is not { Count: > 0 } requests)
                {
                    return;
                }

                rounds++;
                await Task.WhenAll(requests.Select(SendAsync));

                // A round that would start after the deadline once the pause has passed is not sent at all.
                if (duration is not { } deadline || time.GetElapsedTime(started) + Pause >= deadline)
                {
                    return;
                }

                await Task.Delay(Pause, time, CancellationToken.None);
            }
        }

        async Task SendAsync(WorkloadRequest request)
        {
            await Task.Yield();
            var sent = time.GetTimestamp();
            recorder.RecordSent();
            var outcome = await sender.SendAsync(request);
            var elapsed = time.GetElapsedTime(sent);
            recorder.RecordCompleted(request.Operation, phase, elapsed, elapsed, TimeSpan.Zero, outcome.IsSuccess, outcome.Label, outcome.CacheHit);
            workload?.OnCompleted(request, outcome);
        }
    }
}
