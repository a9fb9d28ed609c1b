using AgentSphere.Policies.Operations;
using Microsoft.Extensions.Options;

namespace AgentSphere.Policies.Admission;

/// <summary>Gives a request its priority: from its operation, or what a trusted caller asks for in the priority header.</summary>
internal sealed class PriorityResolver
{
    private readonly RequestPriority[] _byOperation;
    private readonly HashSet<string> _trusted;

    public PriorityResolver(IOptions<AdmissionOptions> options)
    {
        var priorities = options.Value.Priorities;
        _byOperation = new RequestPriority[AgentSphereOperations.All.Count];
        Array.Fill(_byOperation, RequestPriority.Normal);
        foreach (var (name, priority) in priorities.EffectiveOperations())
        {
            if (AgentSphereOperations.TryParse(name, out var operation) && RequestPriorities.TryParse(priority, out var parsed))
            {
                _byOperation[(int)operation] = parsed;
            }
        }

        _trusted = new HashSet<string>(priorities.TrustedCallers, StringComparer.Ordinal);
        HeaderName = priorities.Header;
    }

    /// <summary>The header a trusted caller sets its priority with.</summary>
    public string HeaderName { get; }

    /// <summary>The priority of <paramref name="operation"/> for <paramref name="callerId"/>; a trusted caller's <paramref name="requested"/> priority wins when it parses.</summary>
    public RequestPriority Resolve(AgentSphereOperation operation, string? callerId, string? requested)
    {
        var priority = _byOperation[(int)operation];
        if (requested is not null && callerId is not null && _trusted.Contains(callerId) && RequestPriorities.TryParse(requested, out var asked))
        {
            priority = asked;
        }

        return priority;
    }

    /// <summary>Whether <paramref name="callerId"/> may set its own priority.</summary>
    public bool IsTrusted(string? callerId) => callerId is not null && _trusted.Contains(callerId);
}
