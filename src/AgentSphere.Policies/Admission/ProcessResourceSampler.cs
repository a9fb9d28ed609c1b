using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Admission;

/// <summary>Samples the gateway process's CPU and managed heap on a timer, so the admission guard reads a number instead of measuring on the request path.</summary>
internal sealed class ProcessResourceSampler : IResourcePressureSource, IHostedService, IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Func<(TimeSpan Cpu, long HeapBytes)> _probe;
    private readonly int _processorCount;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private TimeSpan _lastCpu;
    private long _lastTimestamp;
    private ResourcePressure _current;

    public ProcessResourceSampler(IOptions<AdmissionOptions> options, TimeProvider timeProvider)
        : this(options.Value.Resources.SampleInterval, timeProvider, static () => (Environment.CpuUsage.TotalTime, GC.GetTotalMemory(forceFullCollection: false)), Environment.ProcessorCount)
    {
    }

    internal ProcessResourceSampler(TimeSpan interval, TimeProvider timeProvider, Func<(TimeSpan Cpu, long HeapBytes)> probe, int processorCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(processorCount, 1);
        _interval = interval;
        _timeProvider = timeProvider;
        _probe = probe;
        _processorCount = processorCount;
    }

    public ResourcePressure Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public event Action<ResourcePressure>? Sampled;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        (_lastCpu, _) = _probe();
        _lastTimestamp = _timeProvider.GetTimestamp();
        _timer = _timeProvider.CreateTimer(static state => ((ProcessResourceSampler)state!).Sample(), this, _interval, _interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Takes one sample now; the timer calls this every interval.</summary>
    internal void Sample()
    {
        var (cpu, heap) = _probe();
        var now = _timeProvider.GetTimestamp();
        ResourcePressure sample;
        lock (_lock)
        {
            var wall = _timeProvider.GetElapsedTime(_lastTimestamp, now);
            var percent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / (wall * _processorCount) * 100 : _current.CpuPercent;
            _lastCpu = cpu;
            _lastTimestamp = now;
            sample = new ResourcePressure(Math.Clamp(percent, 0, 100), heap);
            _current = sample;
        }

        Sampled?.Invoke(sample);
    }
}
