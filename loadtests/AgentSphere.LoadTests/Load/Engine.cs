using System.Globalization;
using System.Text;
using AgentSphere.LoadTests.Recording;
using AgentSphere.LoadTests.Scenarios;

namespace AgentSphere.LoadTests.Load;

/// <summary>Runs a scenario open loop: each request starts when the schedule says, whether or not earlier ones finished.</summary>
/// <remarks>
/// One loop walks the schedule: it sleeps until the next arrival is due and then sends every arrival whose time has
/// come (several at once if it woke late), without awaiting them. A request's latency is measured from its due time,
/// not from when it was sent, so a stalled generator or a slow server cannot hide waiting time (coordinated omission);
/// its service time is measured from the actual send. Arrivals due before the end of the warm-up are sent but left
/// out of the report. When the schedule ends (or a signal stops it) no more requests start and the engine waits for
/// those in flight, which the client's 60 s timeout bounds.
/// </remarks>
internal sealed class Engine(
    HttpClient client,
    Scenario scenario,
    ArrivalSchedule schedule,
    Recorder recorder,
    TimeSpan warmup,
    int apiKeys,
    TimeProvider time,
    TextWriter progress)
{
    private readonly string[] _keys = [.. Enumerable.Range(1, apiKeys).Select(i => string.Create(CultureInfo.InvariantCulture, $"loadtest-key-{i}"))];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Starts at 1 for the scheduling loop itself, so the count cannot reach 0 while arrivals are still to come.
    private long _pending = 1;
    private long _maxLagTicks;
    private volatile bool _scheduleDone;

    public async Task<RunTimeline> RunAsync(CancellationToken stop)
    {
        var startedAt = time.GetUtcNow();
        var start = time.GetTimestamp();
        var reporter = ReportProgressAsync(start);

        var interrupted = false;
        try
        {
            for (long index = 0; ; index++)
            {
                if (schedule.OffsetOf(index) is not { } offset)
                {
                    break;
                }

                var due = start + ToTimestampTicks(offset);
                var wait = due - time.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / time.TimestampFrequency), time, stop);
                }

                if (stop.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                Interlocked.Increment(ref _pending);
                _ = SendAsync(scenario.Next(), _keys[index % _keys.Length], due, measured: offset >= warmup);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            interrupted = true;
        }

        var scheduleEndedAt = time.GetUtcNow();
        _scheduleDone = true;
        Complete();
        await _drained.Task;
        var endedAt = time.GetUtcNow();
        await reporter;

        return new RunTimeline(
            startedAt,
            startedAt + warmup,
            scheduleEndedAt,
            endedAt,
            interrupted,
            TimeSpan.FromSeconds((double)Interlocked.Read(ref _maxLagTicks) / time.TimestampFrequency));
    }

    private async Task SendAsync(ScenarioRequest request, string apiKey, long due, bool measured)
    {
        var sent = time.GetTimestamp();
        UpdateMaxLag(sent - due);
        recorder.RecordSent();
        RequestOutcome outcome;
        try
        {
            using var message = new HttpRequestMessage(request.Method, request.Path);
            message.Headers.TryAddWithoutValidation("X-API-Key", apiKey);
            if (request.JsonBody is not null)
            {
                message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
            }

            // SendAsync buffers the whole body before returning, so the latency includes reading the response.
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            var body = request.CaptureBody ? await response.Content.ReadAsStringAsync(CancellationToken.None) : null;
            outcome = new RequestOutcome((int)response.StatusCode, null, body);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            outcome = new RequestOutcome(null, "timeout");
        }
        catch (HttpRequestException ex)
        {
            outcome = new RequestOutcome(null, "transport-" + ex.HttpRequestError.ToString().ToLowerInvariant());
        }
#pragma warning disable CA1031 // Any other failure is one failed request, never the end of the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new RequestOutcome(null, "exception-" + ex.GetType().Name);
        }

        var ended = time.GetTimestamp();
        try
        {
            // A request sent a little early (the timer woke before its due time) is measured from its actual send.
            recorder.RecordCompleted(
                request.Operation,
                measured,
                time.GetElapsedTime(Math.Min(due, sent), ended),
                time.GetElapsedTime(sent, ended),
                sent > due ? time.GetElapsedTime(due, sent) : TimeSpan.Zero,
                outcome.IsSuccess,
                outcome.Label);
            scenario.OnCompleted(request, outcome);
        }
        finally
        {
            Complete();
        }
    }

    private void Complete()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void UpdateMaxLag(long lag)
    {
        var current = Interlocked.Read(ref _maxLagTicks);
        while (lag > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxLagTicks, lag, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task ReportProgressAsync(long start)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (!_drained.Task.IsCompleted)
        {
            await Task.WhenAny(timer.WaitForNextTickAsync().AsTask(), _drained.Task);
            var elapsed = time.GetElapsedTime(start);
            var phase = _drained.Task.IsCompleted ? "done" : _scheduleDone ? "drain" : elapsed < warmup ? "warmup" : "run";
            var now = recorder.TakeInterval();
            await progress.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"[{elapsed.TotalSeconds,6:0.0}s {phase,-6}] sent {now.Sent,8}  completed {now.Completed,8}  in flight {now.InFlight,6}  errors {now.Errors,6}  p99(1s) {now.IntervalP99Ms,9:0.0} ms"));
        }
    }

    private long ToTimestampTicks(TimeSpan offset) => (long)(offset.TotalSeconds * time.TimestampFrequency);
}
