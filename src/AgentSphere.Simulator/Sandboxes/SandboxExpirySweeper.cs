using AgentSphere.Simulator.Logging;

namespace AgentSphere.Simulator.Sandboxes;

/// <summary>Sweeps expired sandboxes once a second on the injected clock, so the running count stays right while idle.</summary>
internal sealed class SandboxExpirySweeper : IHostedService, IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly SandboxStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _timer;

    public SandboxExpirySweeper(SandboxStore store, TimeProvider time, ILogger<SandboxExpirySweeper> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(static state => ((SandboxExpirySweeper)state!).Sweep(), this, Period, Period);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Sweep()
    {
        var expired = _store.SweepExpired();
        if (expired > 0)
        {
            SimulatorLog.SandboxesExpired(_logger, expired);
        }
    }
}
