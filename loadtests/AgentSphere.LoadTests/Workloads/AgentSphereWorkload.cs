using System.Globalization;
using System.Text.Json;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>Realistic AgentSphere traffic: callers with their own keys create sandboxes, then list, find, connect to, monitor and delete them.</summary>
/// <remarks>
/// Each arrival draws an operation from the <see cref="OperationMix"/>. Lists and finds go to a random caller (a find
/// asks for that caller's <c>userId</c>). Connects and monitors go to a random live sandbox of the
/// <see cref="SandboxPool"/>, with the key of the caller that created it. A churn arrival (deploy or cleanup) creates a
/// sandbox while the pool is below its size, callers taking turns so each spends the same share of its daily quota,
/// and otherwise deletes the oldest one. When a read or a cleanup finds no live sandbox (only before the pool is
/// primed) it is sent as a list of the same caller instead and counted in <see cref="Substitutions"/>.
/// <see cref="Next"/> takes a lock, so closed-loop workers may share one instance.
/// </remarks>
internal sealed class AgentSphereWorkload : Workload
{
    /// <summary>The <c>timeout</c> of every create, in seconds: sandboxes outlive any pause in the run, and expire on their own if left over.</summary>
    public const int SandboxTimeoutSeconds = 300;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly CallerSet _callers;
    private readonly OperationMix _mix;
    private readonly TimeProvider _time;
    private readonly string[] _createBodies;
    private readonly string[] _findPaths;
    private int _nextCreator;
    private long _substitutions;

    public AgentSphereWorkload(Random random, CallerSet callers, OperationMix mix, SandboxPool pool, TimeProvider time)
    {
        _random = random;
        _callers = callers;
        _mix = mix;
        Pool = pool;
        _time = time;
        _createBodies = new string[callers.Count];
        _findPaths = new string[callers.Count];
        for (var i = 0; i < callers.Count; i++)
        {
            var user = callers.UserOf(i);
            _createBodies[i] = string.Create(
                CultureInfo.InvariantCulture,
                $$$"""{"templateID":"base","timeout":{{{SandboxTimeoutSeconds}}},"metadata":{"userId":"{{{user}}}"}}""");
            _findPaths[i] = "/sandboxes?metadata=" + Uri.EscapeDataString("userId=" + user);
        }
    }

    public SandboxPool Pool { get; }

    public OperationMix Mix => _mix;

    /// <summary>Reads and cleanups sent as lists because no sandbox was live.</summary>
    public long Substitutions => Interlocked.Read(ref _substitutions);

    public override IReadOnlyList<string> Operations => OperationNames.All;

    public override IReadOnlyList<string> OverallOperations => OperationNames.Interactive;

    public override string Status => string.Create(CultureInfo.InvariantCulture, $"sandboxes {Pool.Live} live + {Pool.Pending} creating");

    public override WorkloadRequest Next()
    {
        lock (_gate)
        {
            var operation = _mix.Draw(_random);
            switch (operation)
            {
                case OperationNames.List:
                    return List(_random.Next(_callers.Count));
                case OperationNames.Find:
                    return Find(_random.Next(_callers.Count));
                case OperationNames.Connect or OperationNames.Monitor:
                    return Pool.TryPick(_random, _time.GetUtcNow(), out var sandbox)
                        ? Read(operation, sandbox)
                        : Substitute();
                default:
                    if (Pool.TryBeginCreate())
                    {
                        return Create(NextCreator());
                    }

                    return Pool.TryTakeOldest(_time.GetUtcNow(), out var oldest) ? Delete(oldest) : Substitute();
            }
        }
    }

    /// <summary>
    /// The next request of one caller: its lists and finds, reads of its own sandboxes, and churn on its own sandboxes
    /// (a create while the pool is below its size, else a delete of its oldest). Used where callers act on their own
    /// (the concurrency scenario's mixed bursts).
    /// </summary>
    public WorkloadRequest NextFor(int caller)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var operation = _mix.Draw(_random);
            switch (operation)
            {
                case OperationNames.List:
                    return List(caller);
                case OperationNames.Find:
                    return Find(caller);
                case OperationNames.Connect or OperationNames.Monitor:
                    return Pool.TryPickOf(caller, _random, now, out var sandbox) ? Read(operation, sandbox) : Substitute(caller);
                default:
                    if (Pool.TryBeginCreate())
                    {
                        return Create(caller);
                    }

                    return Pool.TryTakeOldestOf(caller, now, out var oldest) ? Delete(oldest) : Substitute(caller);
            }
        }
    }

    /// <summary>A create for the next caller in turn if the pool is below its size and under the in-flight limit, else null.</summary>
    public WorkloadRequest? TryNextCreate(int? maxInFlight = null)
    {
        lock (_gate)
        {
            return Pool.TryBeginCreate(maxInFlight) ? Create(NextCreator()) : null;
        }
    }

    /// <summary>A create for the next caller in turn, counted as in flight in the pool whatever its size.</summary>
    public WorkloadRequest NextCreate()
    {
        lock (_gate)
        {
            Pool.BeginCreate();
            return Create(NextCreator());
        }
    }

    public WorkloadRequest List(int caller) => new(OperationNames.List, HttpMethod.Get, "/sandboxes", _callers.KeyOf(caller), Caller: caller);

    public WorkloadRequest Find(int caller) => new(OperationNames.Find, HttpMethod.Get, _findPaths[caller], _callers.KeyOf(caller), Caller: caller);

    public WorkloadRequest Delete(PooledSandbox sandbox) =>
        new(OperationNames.Cleanup, HttpMethod.Delete, "/sandboxes/" + sandbox.Id, _callers.KeyOf(sandbox.Caller), Caller: sandbox.Caller, SandboxId: sandbox.Id);

    public override void OnCompleted(WorkloadRequest request, RequestOutcome outcome)
    {
        switch (request.Operation)
        {
            case OperationNames.Deploy:
                if (outcome.IsSuccess && TryReadSandboxId(outcome.Body) is { } id)
                {
                    Pool.CreateSucceeded(request.Caller, id, _time.GetUtcNow());
                }
                else
                {
                    Pool.CreateFailed();
                }

                break;
            case OperationNames.Connect or OperationNames.Monitor when outcome.StatusCode == 404 && request.SandboxId is { } gone:
                Pool.Remove(gone);
                break;
        }
    }

    /// <summary>The <c>sandboxID</c> of a create's response body, or null.</summary>
    public static string? TryReadSandboxId(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, WorkloadJsonContext.Default.CreatedSandbox)?.SandboxId;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private int NextCreator()
    {
        var caller = _nextCreator;
        _nextCreator = (_nextCreator + 1) % _callers.Count;
        return caller;
    }

    private WorkloadRequest Create(int caller) =>
        new(OperationNames.Deploy, HttpMethod.Post, "/sandboxes", _callers.KeyOf(caller), _createBodies[caller], CaptureBody: true, Caller: caller);

    private WorkloadRequest Read(string operation, PooledSandbox sandbox) => new(
        operation,
        HttpMethod.Get,
        operation == OperationNames.Connect ? "/sandboxes/" + sandbox.Id : "/sandboxes/" + sandbox.Id + "/metrics",
        _callers.KeyOf(sandbox.Caller),
        Caller: sandbox.Caller,
        SandboxId: sandbox.Id);

    private WorkloadRequest Substitute(int? caller = null)
    {
        Interlocked.Increment(ref _substitutions);
        return List(caller ?? _random.Next(_callers.Count));
    }
}
