namespace AgentSphere.LoadTests.Recording;

/// <summary>Collects every request's latency, service time and outcome, per phase and operation.</summary>
/// <remarks>
/// All requests feed the running counters, the one-second interval histogram behind the progress line and the
/// <see cref="TimeSeries"/> of the charts; only those of a measured phase (0 or above) feed the per-operation records of
/// the report. The interval histogram and the series' latencies take only the workload's overall operations, so one
/// 15-second create does not stand for a whole second of reads. One lock guards the histograms: a recording costs well
/// under a microsecond, far below the request rates a load generator on one box reaches.
/// </remarks>
internal sealed class Recorder
{
    private readonly Lock _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, OperationRecord>[] _phases;
    private readonly HashSet<string> _overall;
    private readonly HdrHistogram.LongHistogram _interval = OperationRecord.NewHistogram();
    private readonly HdrHistogram.LongHistogram[] _sendLag;
    private readonly TimeSeries? _series;
    private long _sent;
    private long _completed;
    private long _errors;

    public Recorder(IEnumerable<string> operations, int phases = 1, IEnumerable<string>? overallOperations = null, TimeSeries? series = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(phases);
        _phases = new Dictionary<string, OperationRecord>[phases];
        _sendLag = new HdrHistogram.LongHistogram[phases];
        for (var p = 0; p < phases; p++)
        {
            _phases[p] = new Dictionary<string, OperationRecord>(StringComparer.Ordinal);
            _sendLag[p] = OperationRecord.NewHistogram();
        }

        _order.AddRange(operations);
        _overall = new HashSet<string>(overallOperations ?? _order, StringComparer.Ordinal);
        _series = series;
    }

    public int PhaseCount => _phases.Length;

    public void RecordSent()
    {
        Interlocked.Increment(ref _sent);
        _series?.RecordSent();
    }

    /// <summary>Records one finished request.</summary>
    /// <param name="operation">The workload's operation name.</param>
    /// <param name="phase">The measured phase it belongs to, or -1 for an unmeasured one (warm-up).</param>
    /// <param name="latency">From the scheduled start to the end of the response.</param>
    /// <param name="serviceTime">From the actual send to the end of the response.</param>
    /// <param name="sendLag">From the scheduled start to the actual send: the generator's own lateness.</param>
    /// <param name="success">A 2xx response.</param>
    /// <param name="outcome">The status code or failure kind.</param>
    /// <param name="cacheHit">The gateway answered from its cache.</param>
    public void RecordCompleted(string operation, int phase, TimeSpan latency, TimeSpan serviceTime, TimeSpan sendLag, bool success, string outcome, bool cacheHit = false)
    {
        var latencyUs = Microseconds(latency);
        var serviceUs = Microseconds(serviceTime);
        var overall = _overall.Contains(operation);
        _series?.RecordCompleted(latencyUs, success, overall);
        lock (_gate)
        {
            _completed++;
            if (!success)
            {
                _errors++;
            }

            if (overall)
            {
                _interval.RecordValue(latencyUs);
            }

            if (phase < 0 || phase >= _phases.Length)
            {
                return;
            }

            _sendLag[phase].RecordValue(Microseconds(sendLag));
            GetOrAdd(phase, operation).Record(latencyUs, serviceUs, success, cacheHit, outcome);
        }
    }

    /// <summary>The counters now, and the P99 of the overall operations' latencies since the last call (which starts a new interval).</summary>
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

    /// <summary>Copies of the measured records of the phases <paramref name="include"/> accepts (all when null).</summary>
    public MeasuredRecords Measured(Func<int, bool>? include = null)
    {
        lock (_gate)
        {
            var overall = new OperationRecord("overall");
            var all = new OperationRecord("all");
            var sendLag = OperationRecord.NewHistogram();
            var operations = new List<OperationRecord>(_order.Count);
            foreach (var name in _order)
            {
                var copy = new OperationRecord(name);
                for (var p = 0; p < _phases.Length; p++)
                {
                    if ((include is null || include(p)) && _phases[p].TryGetValue(name, out var record))
                    {
                        copy.Add(record);
                    }
                }

                operations.Add(copy);
                all.Add(copy);
                if (_overall.Contains(name))
                {
                    overall.Add(copy);
                }
            }

            for (var p = 0; p < _phases.Length; p++)
            {
                if (include is null || include(p))
                {
                    sendLag.Add(_sendLag[p]);
                }
            }

            return new MeasuredRecords(operations, overall, all, sendLag);
        }
    }

    /// <summary>Copies of one phase's records.</summary>
    public MeasuredRecords Measured(int phase) => Measured(p => p == phase);

    private static long Microseconds(TimeSpan duration) => OperationRecord.Clamp(duration.Ticks / TimeSpan.TicksPerMicrosecond);

    private OperationRecord GetOrAdd(int phase, string operation)
    {
        if (!_phases[phase].TryGetValue(operation, out var record))
        {
            record = new OperationRecord(operation);
            _phases[phase].Add(operation, record);
            if (!_order.Contains(operation))
            {
                _order.Add(operation);
            }
        }

        return record;
    }
}
