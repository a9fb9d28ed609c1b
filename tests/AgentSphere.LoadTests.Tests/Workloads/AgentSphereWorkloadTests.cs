using AgentSphere.LoadTests.Workloads;
using Microsoft.Extensions.Time.Testing;

namespace AgentSphere.LoadTests.Tests.Workloads;

public sealed class AgentSphereWorkloadTests
{
    // Uniform draws that pick each operation from the default mix (cumulative: list 35, find 64, connect 89,
    // deploy 89.5, monitor 99.5, cleanup 100).
    private const double ListDraw = 0.10;
    private const double FindDraw = 0.50;
    private const double ConnectDraw = 0.70;
    private const double ChurnDraw = 0.892;
    private const double MonitorDraw = 0.95;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Next_List_GoesToTheDrawnCallerWithItsKey()
    {
        var workload = Create(new ScriptedRandom([ListDraw], [3]), pool: 0);

        var request = workload.Next();

        Assert.Equal(OperationNames.List, request.Operation);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/sandboxes", request.Path);
        Assert.Equal("loadtest-key-4", request.ApiKey);
        Assert.Equal(3, request.Caller);
    }

    [Fact]
    public void Next_Find_AsksForThatCallersUser()
    {
        var workload = Create(new ScriptedRandom([FindDraw], [0]), pool: 0);

        var request = workload.Next();

        Assert.Equal(OperationNames.Find, request.Operation);
        Assert.Equal("/sandboxes?metadata=userId%3Dloadtest-user-1", request.Path);
        Assert.Equal("loadtest-key-1", request.ApiKey);
    }

    [Fact]
    public void Next_ChurnBelowTarget_CreatesForCallersInTurn_ThenSubstitutesWhenNothingIsLive()
    {
        // Arrange: room for two sandboxes; three churn draws, the third finds the pool full of creates in flight.
        var workload = Create(new ScriptedRandom([ChurnDraw, ChurnDraw, ChurnDraw], [5]), pool: 2);

        // Act
        var first = workload.Next();
        var second = workload.Next();
        var third = workload.Next();

        // Assert
        Assert.Equal(OperationNames.Deploy, first.Operation);
        Assert.Equal(HttpMethod.Post, first.Method);
        Assert.Equal("""{"templateID":"base","timeout":300,"metadata":{"userId":"loadtest-user-1"}}""", first.JsonBody);
        Assert.True(first.CaptureBody);
        Assert.Equal("loadtest-key-2", second.ApiKey);
        Assert.Equal(OperationNames.List, third.Operation);
        Assert.Equal(1, workload.Substitutions);
        Assert.Equal(2, workload.Pool.Pending);
    }

    [Fact]
    public void CreateThenReadsAndDelete_UseTheCreatedSandboxWithItsOwnersKey()
    {
        // Arrange: one sandbox at most; create it for caller 0.
        var workload = Create(new ScriptedRandom([ChurnDraw, ConnectDraw, MonitorDraw, ChurnDraw], [0, 0]), pool: 1);
        var create = workload.Next();

        // Act
        workload.OnCompleted(create, new RequestOutcome(201, null, """{"templateID":"base","sandboxID":"abcdefghij0123456789","clientID":"x"}"""));
        var connect = workload.Next();
        var monitor = workload.Next();
        var cleanup = workload.Next();

        // Assert
        Assert.Equal(("/sandboxes/abcdefghij0123456789", "loadtest-key-1"), (connect.Path, connect.ApiKey));
        Assert.Equal(OperationNames.Connect, connect.Operation);
        Assert.Equal("/sandboxes/abcdefghij0123456789/metrics", monitor.Path);
        Assert.Equal(OperationNames.Monitor, monitor.Operation);
        Assert.Equal(OperationNames.Cleanup, cleanup.Operation);
        Assert.Equal(HttpMethod.Delete, cleanup.Method);
        Assert.Equal("/sandboxes/abcdefghij0123456789", cleanup.Path);
        Assert.Equal(0, workload.Pool.Live);
    }

    [Fact]
    public void OnCompleted_FailedCreate_ReleasesTheReservation()
    {
        var workload = Create(new ScriptedRandom([ChurnDraw]), pool: 1);
        var create = workload.Next();

        workload.OnCompleted(create, new RequestOutcome(429, null, """{"code":429}"""));

        Assert.Equal(0, workload.Pool.Pending);
        Assert.Equal(0, workload.Pool.Live);
    }

    [Fact]
    public void OnCompleted_ReadAnswered404_ForgetsTheSandbox()
    {
        var workload = Create(new ScriptedRandom([ChurnDraw, ConnectDraw], [0]), pool: 1);
        var create = workload.Next();
        workload.OnCompleted(create, new RequestOutcome(201, null, """{"sandboxID":"gone0000000000000000"}"""));
        var connect = workload.Next();

        workload.OnCompleted(connect, new RequestOutcome(404, null));

        Assert.Equal(0, workload.Pool.Live);
    }

    [Fact]
    public void NextFor_KeepsToTheCallerAndItsOwnSandboxes()
    {
        // Arrange: caller 2 owns one sandbox.
        var workload = Create(new ScriptedRandom([ChurnDraw, ListDraw, ConnectDraw, MonitorDraw], [0, 0]), pool: 1);
        var create = workload.NextFor(2);
        workload.OnCompleted(create, new RequestOutcome(201, null, """{"sandboxID":"own00000000000000000"}"""));

        // Act
        var list = workload.NextFor(2);
        var connect = workload.NextFor(2);
        var otherMonitor = workload.NextFor(4);

        // Assert
        Assert.Equal("loadtest-key-3", create.ApiKey);
        Assert.Equal(("loadtest-key-3", "/sandboxes"), (list.ApiKey, list.Path));
        Assert.Equal("/sandboxes/own00000000000000000", connect.Path);
        Assert.Equal((OperationNames.List, "loadtest-key-5"), (otherMonitor.Operation, otherMonitor.ApiKey));
        Assert.Equal(1, workload.Substitutions);
    }

    [Theory]
    [InlineData("""{"sandboxID":"abc"}""", "abc")]
    [InlineData("""{"templateID":"base"}""", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TryReadSandboxId_ReadsOnlyAValidBody(string? body, string? expected) =>
        Assert.Equal(expected, AgentSphereWorkload.TryReadSandboxId(body));

    private AgentSphereWorkload Create(Random random, int pool) =>
        new(random, new CallerSet(10), OperationMix.Default, new SandboxPool(pool, 8, TimeSpan.FromMinutes(4)), _time);
}
