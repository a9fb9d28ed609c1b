using System.Globalization;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Scenarios;

/// <summary>Fills the workload's sandbox pool before a run and deletes what is left after it; neither is measured.</summary>
/// <remarks>
/// Priming means the measured period starts with sandboxes to connect to, monitor and delete, instead of spending its
/// first 15 s (one create at the seed's latency) sending substitutes. Priming runs alone, so it may use all of the
/// gateway's default of 10 concurrent creates (<see cref="MaxPrimingInFlight"/>): the default pool of 10 then takes one
/// create's time. During the run the workload keeps at most <see cref="MaxCreatesInFlight"/> in flight, leaving room
/// for a create whose permit the gateway has not yet released when its response arrives. The teardown keeps the
/// backends' sandbox count from growing from one run to the next; anything it misses expires after the create's 300 s
/// timeout.
/// </remarks>
internal static class SandboxPoolLifecycle
{
    /// <summary>Creates the workload keeps in flight at once during a run (the gateway's default limit is 10).</summary>
    public const int MaxCreatesInFlight = 8;

    /// <summary>Creates in flight at once while priming, when nothing else runs: the gateway's default limit.</summary>
    public const int MaxPrimingInFlight = 10;

    /// <summary>A sandbox is used for at most this long after its create, a minute short of its timeout.</summary>
    public static readonly TimeSpan UsableFor = TimeSpan.FromSeconds(AgentSphereWorkload.SandboxTimeoutSeconds - 60);

    private static readonly TimeSpan TeardownLimit = TimeSpan.FromSeconds(30);

    public static AgentSphereWorkload CreateWorkload(ScenarioContext context, int defaultApiKeys, int defaultPool)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var pool = new SandboxPool(options.Pool ?? defaultPool, MaxCreatesInFlight, UsableFor);
        return new AgentSphereWorkload(new Random(options.Seed), new CallerSet(options.ApiKeys ?? defaultApiKeys), options.Mix, pool, context.Time);
    }

    /// <summary>Creates sandboxes until the pool holds its target, giving up after twice as many attempts.</summary>
    public static async Task PrimeAsync(ScenarioContext context, AgentSphereWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workload);
        var pool = workload.Pool;
        if (pool.Target == 0 || pool.Live >= pool.Target)
        {
            return;
        }

        await context.Progress.NoteAsync(string.Create(CultureInfo.InvariantCulture, $"priming: creating {pool.Target - pool.Live} sandboxes (unmeasured)"));
        var start = context.Series.Elapsed;
        var recorder = new Recorder(workload.Operations, 1, workload.OverallOperations, context.Series);
        var failures = 0;
        var work = PrimeLoopAsync();
        await context.Progress.RunAsync(() => "priming", recorder, workload, work);
        await work;
        context.Series.AddPhase("priming", start, context.Series.Elapsed, measured: false);
        if (failures > 0 || pool.Live < pool.Target)
        {
            await context.Progress.NoteAsync(string.Create(CultureInfo.InvariantCulture, $"priming: {pool.Live} of {pool.Target} sandboxes live, {failures} create(s) failed"));
        }

        async Task PrimeLoopAsync()
        {
            var attempts = 0;
            var running = new List<Task>();
            while (!context.Stop.IsCancellationRequested && pool.Live < pool.Target && attempts < (2 * pool.Target) + 4)
            {
                if (workload.TryNextCreate(MaxPrimingInFlight) is { } create)
                {
                    attempts++;
                    running.Add(SendAsync(create));
                    continue;
                }

                if (running.Count == 0)
                {
                    break;
                }

                await Task.WhenAny(running);
                running.RemoveAll(t => t.IsCompleted);
            }

            await Task.WhenAll(running);
        }

        async Task SendAsync(WorkloadRequest create)
        {
            recorder.RecordSent();
            var sent = context.Time.GetTimestamp();
            var outcome = await context.Sender.SendAsync(create);
            var elapsed = context.Time.GetElapsedTime(sent);
            recorder.RecordCompleted(create.Operation, -1, elapsed, elapsed, TimeSpan.Zero, outcome.IsSuccess, outcome.Label);
            if (!outcome.IsSuccess)
            {
                Interlocked.Increment(ref failures);
            }

            workload.OnCompleted(create, outcome);
        }
    }

    /// <summary>Deletes every live sandbox of the pool, all at once, waiting at most 30 s.</summary>
    public static async Task TeardownAsync(ScenarioContext context, AgentSphereWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workload);
        var left = workload.Pool.TakeAll();
        if (left.Count == 0)
        {
            return;
        }

        await context.Progress.NoteAsync(string.Create(CultureInfo.InvariantCulture, $"teardown: deleting {left.Count} sandboxes (unmeasured)"));
        var deletes = Task.WhenAll(left.Select(s => context.Sender.SendAsync(workload.Delete(s))));
        await Task.WhenAny(deletes, Task.Delay(TeardownLimit, context.Time));
        if (deletes.IsCompletedSuccessfully)
        {
            var failed = deletes.Result.Count(o => !o.IsSuccess);
            if (failed > 0)
            {
                await context.Progress.NoteAsync(string.Create(CultureInfo.InvariantCulture, $"teardown: {failed} delete(s) failed; those sandboxes expire on their own"));
            }
        }
    }
}
