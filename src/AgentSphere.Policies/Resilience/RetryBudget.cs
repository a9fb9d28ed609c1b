namespace AgentSphere.Policies.Resilience;

/// <summary>Limits retries to a share of recent requests: every request deposits a fraction of a token, every retry spends a whole one.</summary>
/// <remarks>
/// A token bucket kept in thousandths of a token with <see cref="Interlocked"/> updates: no lock. With a 10 % budget each request adds
/// 0.1 token up to a cap of <c>reserve + 10 %</c> of the requests that filled it, so a burst of failures can retry at most about one
/// request in ten once the reserve is spent, and an outage cannot multiply the load on the backends that are left (the idea of
/// Finagle's and gRPC's retry budgets).
/// </remarks>
public sealed class RetryBudget
{
    private const long Scale = 1000;
    private readonly long _deposit;
    private readonly long _capacity;
    private long _balance;

    /// <summary>A budget of <paramref name="percent"/> of requests with <paramref name="reserve"/> retries in hand.</summary>
    public RetryBudget(double percent, int reserve)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfNegative(reserve);
        _deposit = (long)Math.Round(percent / 100 * Scale);
        _capacity = Math.Max(Scale, (reserve * Scale) + (_deposit * 100));
        _balance = reserve * Scale;
    }

    /// <summary>Retries the budget would allow now.</summary>
    public double Available => Volatile.Read(ref _balance) / (double)Scale;

    /// <summary>Counts one request (not a retry).</summary>
    public void RecordRequest()
    {
        if (_deposit == 0)
        {
            return;
        }

        long current;
        do
        {
            current = Volatile.Read(ref _balance);
            if (current >= _capacity)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _balance, Math.Min(_capacity, current + _deposit), current) != current);
    }

    /// <summary>Takes one retry from the budget; false when it is spent.</summary>
    public bool TryWithdraw()
    {
        long current;
        do
        {
            current = Volatile.Read(ref _balance);
            if (current < Scale)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _balance, current - Scale, current) != current);

        return true;
    }
}
