using AgentSphere.Policies.Resilience;

namespace AgentSphere.Policies.Tests.Resilience;

public sealed class RetryBudgetTests
{
    [Fact]
    public void TryWithdraw_Reserve_AllowsThatManyThenRefuses()
    {
        var budget = new RetryBudget(percent: 0, reserve: 3);

        var granted = Enumerable.Range(0, 5).Count(_ => budget.TryWithdraw());

        Assert.Equal(3, granted);
    }

    [Fact]
    public void RecordRequest_TenPercent_EarnsOneRetryPerTenRequests()
    {
        var budget = new RetryBudget(percent: 10, reserve: 0);

        for (var i = 0; i < 95; i++)
        {
            budget.RecordRequest();
        }

        var granted = Enumerable.Range(0, 20).Count(_ => budget.TryWithdraw());

        Assert.Equal(9, granted);
    }

    [Fact]
    public void RecordRequest_LongQuietSuccess_CapsTheBalance()
    {
        var budget = new RetryBudget(percent: 10, reserve: 5);

        for (var i = 0; i < 100_000; i++)
        {
            budget.RecordRequest();
        }

        // The cap: the reserve plus 10 % of a hundred requests, so an outage after a quiet day cannot retry everything.
        Assert.Equal(15, budget.Available, precision: 3);
    }

    [Fact]
    public void TryWithdraw_ManyThreads_NeverGrantsMoreThanTheBalance()
    {
        var budget = new RetryBudget(percent: 0, reserve: 1000);
        var granted = 0;

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 500; i++)
            {
                if (budget.TryWithdraw())
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });

        Assert.Equal(1000, granted);
    }
}
