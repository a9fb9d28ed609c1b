namespace AgentSphere.LoadTests.Recording;

/// <summary>Collects every request's latency, service time and outcome, per operation.</summary>
/// <remarks>
/// All requests feed the running counters and the one-second interval histogram behind the progress line; only those
/// scheduled after the warm-up feed the per-operation records of the report. One lock guards the histograms: a
/// recording costs well under a microsecond, far below the request rates a load generator on one box reaches.
/// </remarks>
internal sealed class Recorder
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OperationRecord> _operations = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HdrHistogram.LongHistogram _interval = OperationRecord.NewHistogram();
    private readonly HdrHistogram.LongHistogram _sendLag = OperationRecord.NewHistogram();
    private long _sent;
    private long _completed;
    private long _errors;

    public Recorder(IEnumerable<string> operations)
    {
        foreach (var operation in operations)
        {
            GetOrAdd(operation);
        }
    }

    public void RecordSent() => Interlocked.Increment(ref _sent);

    /// <summary>Records one finished request.</summary>
    /// <param name="operation">The scenario's operation name.</param>
    /// <param name="measured">Scheduled after the warm-up, so part of the report.</param>
    /// <param name="latency">From the scheduled start to the end of the response.</param>
    /// <param name="serviceTime">From the actual send to the end of the response.</param>
    /// <param name="sendLag">From the scheduled start to the actual send: the generator's own lateness.</param>
    /// <param name="success">A 2xx response.</param>
    /// <param name="outcome">The status code or failure kind.</param>
    public void RecordCompleted(string operation, bool measured, TimeSpan latency, TimeSpan serviceTime, TimeSpan sendLag, bool success, string outcome)
    {
        var latencyUs = Microseconds(latency);
        var serviceUs = Microseconds(serviceTime);
        lock (_gate)
        {
            _completed++;
            if (!success)
            {
                _errors++;
            }

            _interval.RecordValue(latencyUs);
            if (!measured)
            {
                return;
            }

            _sendLag.RecordValue(Microseconds(sendLag));
            var record = GetOrAdd(operation);
            record.Latency.RecordValue(latencyUs);
            record.ServiceTime.RecordValue(serviceUs);
            record.Count++;
            if (!success)
            {
                record.Errors++;
            }

            record.Outcomes[outcome] = record.Outcomes.GetValueOrDefault(outcome) + 1;
        }
    }

    /// <summary>The counters now, and the P99 of the latencies recorded since the last call (which starts a new interval).</summary>
    public IntervalSnapshot TakeInterval()
    {
        lock (_gate)
        {
            var count = _interval.TotalCount;
            var p99 = count > 0 ? _interval.GetValueAtPercentile(99) / 1000.0 : 0;
            _interval.Reset();
            return new IntervalSnapshot(Interlocked.Read(ref _sent), _completed, _errors, count, p99);
        }
    }

    /// <summary>Copies of the measured records, per operation in report order, their sum, and the send lag (µs).</summary>
    public (IReadOnlyList<OperationRecord> Operations, OperationRecord Overall, HdrHistogram.HistogramBase SendLag) Measured()
    {
        lock (_gate)
        {
            var overall = new OperationRecord("overall");
            var operations = new List<OperationRecord>(_order.Count);
            foreach (var name in _order)
            {
                var copy = new OperationRecord(name);
                copy.Add(_operations[name]);
                operations.Add(copy);
                overall.Add(copy);
            }

            return (operations, overall, _sendLag.Copy());
        }
    }

    private static long Microseconds(TimeSpan duration) => OperationRecord.Clamp(duration.Ticks / TimeSpan.TicksPerMicrosecond);

    private OperationRecord GetOrAdd(string operation)
    {
        if (!_operations.TryGetValue(operation, out var record))
        {
            record = new OperationRecord(operation);
            _operations.Add(operation, record);
            _order.Add(operation);
        }

        return record;
    }
}
