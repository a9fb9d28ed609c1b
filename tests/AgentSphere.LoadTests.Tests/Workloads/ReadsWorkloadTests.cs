using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Tests.Workloads;

public sealed class ReadsWorkloadTests
{
    [Fact]
    public void Next_CallersTakeTurnsAndTheSeedFixesTheSequence()
    {
        var a = new ReadsWorkload(new Random(3), new CallerSet(3));
        var b = new ReadsWorkload(new Random(3), new CallerSet(3));

        var first = Enumerable.Range(0, 6).Select(_ => a.Next()).ToList();
        var second = Enumerable.Range(0, 6).Select(_ => b.Next()).ToList();

        Assert.Equal(first, second);
        Assert.Equal(["loadtest-key-1", "loadtest-key-2", "loadtest-key-3", "loadtest-key-1", "loadtest-key-2", "loadtest-key-3"], first.Select(r => r.ApiKey));
        Assert.All(first, r => Assert.Contains(r.Operation, new[] { OperationNames.List, OperationNames.Find }));
    }
}
