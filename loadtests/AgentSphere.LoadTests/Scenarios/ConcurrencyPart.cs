namespace AgentSphere.LoadTests.Scenarios;

/// <summary>One row of the seed's concurrency table: rounds of <paramref name="Concurrency"/> requests that start together.</summary>
/// <param name="Name">Row name: <c>lists</c>, <c>creates</c>, <c>finds</c>, <c>mixed</c>.</param>
/// <param name="SeedName">The seed's name for the row.</param>
/// <param name="Concurrency">Requests per round, all in flight at once.</param>
/// <param name="Timed">Rounds repeat for the part duration; otherwise there is one round.</param>
internal sealed record ConcurrencyPart(string Name, string SeedName, int Concurrency, bool Timed)
{
    /// <summary>Seed table 2, in its order: 10 lists, 5 creates, 20 finds, 15 mixed.</summary>
    public static IReadOnlyList<ConcurrencyPart> Seed { get; } =
    [
        new("lists", "并发沙箱列表 (concurrent lists)", 10, Timed: true),
        new("creates", "并发沙箱创建 (concurrent creates)", 5, Timed: false),
        new("finds", "并发用户查找 (concurrent user lookups)", 20, Timed: true),
        new("mixed", "混合操作负载 (mixed operations)", 15, Timed: true),
    ];
}
