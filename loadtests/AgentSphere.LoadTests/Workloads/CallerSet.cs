using System.Globalization;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>The simulated callers: caller <c>i</c> (0-based) sends <c>X-API-Key: loadtest-key-{i+1}</c> and tags its sandboxes <c>userId=loadtest-user-{i+1}</c>.</summary>
/// <remarks>
/// Each caller is its own team at the backend (sandboxes are per key) and its own partition at the gateway: 5 requests at
/// once and 100 creates per day by default. Enough callers keep those per-caller limits from binding, so the run measures
/// the gateway's shared capacity rather than one caller's allowance.
/// </remarks>
internal sealed class CallerSet
{
    private readonly string[] _keys;
    private readonly string[] _users;

    public CallerSet(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _keys = [.. Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"loadtest-key-{i}"))];
        _users = [.. Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"loadtest-user-{i}"))];
    }

    public int Count => _keys.Length;

    public string KeyOf(int caller) => _keys[caller];

    public string UserOf(int caller) => _users[caller];
}
