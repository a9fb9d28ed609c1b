using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Api;

/// <summary>Handlers for sandbox metrics (simulated samples) and logs (the sandbox's real event log).</summary>
internal sealed class MonitorHandlers(SandboxStore store, TimeProvider time)
{
    public const int MaxIds = 100;
    public const int DefaultLogLimit = 1000;

    // Unix seconds / milliseconds of 9999-12-31, the last instant DateTimeOffset can represent.
    private const long MaxUnixSeconds = 253402300799;
    private const long MaxUnixMilliseconds = (MaxUnixSeconds * 1000) + 999;

    public Task MetricsAsync(HttpContext context)
    {
        var request = context.Request;
        if (!QueryParser.TryParseInt64(request, "start", 0, MaxUnixSeconds, out var start, out var error)
            || !QueryParser.TryParseInt64(request, "end", 0, MaxUnixSeconds, out var end, out error))
        {
            return ApiResults.WriteBadRequestAsync(context, error);
        }

        var id = context.GetSandboxId();
        if (store.Get(context.GetTeam(), id) is not { } sandbox)
        {
            return ApiResults.WriteSandboxNotFoundAsync(context, id);
        }

        var samples = SandboxMetricsModel.Range(sandbox, time.GetUtcNow(), start, end);
        var body = samples.Select(SandboxDtoMapper.ToMetric).ToArray();
        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, body, SimulatorJsonContext.Default.SandboxMetricResponseArray);
    }

    public Task ManyMetricsAsync(HttpContext context)
    {
        var ids = context.Request.Query["sandbox_ids"]
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(SandboxIds.Normalize)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (ids.Count is 0 or > MaxIds)
        {
            return ApiResults.WriteBadRequestAsync(context, $"sandbox_ids must list between 1 and {MaxIds} sandbox ids");
        }

        var team = context.GetTeam();
        var now = time.GetUtcNow();
        var result = new Dictionary<string, SandboxMetricResponse>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (store.Get(team, id) is { } sandbox)
            {
                result[id] = SandboxDtoMapper.ToMetric(SandboxMetricsModel.Latest(sandbox, now));
            }
        }

        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, new SandboxesMetricsResponse(result), SimulatorJsonContext.Default.SandboxesMetricsResponse);
    }

    /// <summary>v1: entries at or after <c>start</c> (unix ms), oldest first, at most <c>limit</c> (default 1000).</summary>
    public Task LogsAsync(HttpContext context)
    {
        var request = context.Request;
        if (!QueryParser.TryParseInt64(request, "start", 0, MaxUnixMilliseconds, out var start, out var error)
            || !QueryParser.TryParseInt64(request, "limit", 0, int.MaxValue, out var limit, out error))
        {
            return ApiResults.WriteBadRequestAsync(context, error);
        }

        var id = context.GetSandboxId();
        if (store.GetEvents(context.GetTeam(), id) is not { } events)
        {
            return ApiResults.WriteSandboxNotFoundAsync(context, id);
        }

        var selected = events
            .Where(e => e.Timestamp.ToUnixTimeMilliseconds() >= (start ?? 0))
            .Take((int)(limit ?? DefaultLogLimit))
            .ToArray();
        var body = new SandboxLogsResponse(
            selected.Select(SandboxDtoMapper.ToLogLine).ToArray(),
            selected.Select(SandboxDtoMapper.ToLogEntry).ToArray());
        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, body, SimulatorJsonContext.Default.SandboxLogsResponse);
    }

    /// <summary>v2: from <c>cursor</c> (unix ms) forward (oldest first) or backward (newest first), at most <c>limit</c>.</summary>
    public Task LogsV2Async(HttpContext context)
    {
        var request = context.Request;
        if (!QueryParser.TryParseInt64(request, "cursor", 0, MaxUnixMilliseconds, out var cursor, out var error)
            || !QueryParser.TryParseInt64(request, "limit", 0, int.MaxValue, out var limit, out error))
        {
            return ApiResults.WriteBadRequestAsync(context, error);
        }

        var direction = request.Query["direction"].ToString();
        var backward = string.Equals(direction, "backward", StringComparison.OrdinalIgnoreCase);
        if (!backward && direction.Length > 0 && !string.Equals(direction, "forward", StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.WriteBadRequestAsync(context, $"Invalid direction \"{direction}\": expected forward or backward");
        }

        var id = context.GetSandboxId();
        if (store.GetEvents(context.GetTeam(), id) is not { } events)
        {
            return ApiResults.WriteSandboxNotFoundAsync(context, id);
        }

        IEnumerable<SandboxEvent> selected = backward
            ? Enumerable.Reverse(events).Where(e => cursor is not { } c || e.Timestamp.ToUnixTimeMilliseconds() <= c)
            : events.Where(e => cursor is not { } c || e.Timestamp.ToUnixTimeMilliseconds() >= c);
        var body = new SandboxLogsV2Response(selected.Take((int)(limit ?? DefaultLogLimit)).Select(SandboxDtoMapper.ToLogEntry).ToArray());
        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, body, SimulatorJsonContext.Default.SandboxLogsV2Response);
    }
}
