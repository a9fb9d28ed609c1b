using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Api;

/// <summary>Handlers for one sandbox: create, get, delete, keep-alive and the pause/resume/connect state machine.</summary>
internal sealed class SandboxHandlers(SandboxStore store)
{
    public const int MaxRefreshSeconds = 3600;

    public async Task CreateAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context, SimulatorJsonContext.Default.NewSandboxRequest, required: true);
        if (body.Error is not null)
        {
            await ApiResults.WriteBadRequestAsync(context, body.Error);
            return;
        }

        var request = body.Value!;
        if (Validate(request, out var timeout) is { } error)
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var spec = new SandboxSpec(
            request.TemplateId!,
            timeout,
            Copy(request.Metadata),
            Copy(request.EnvVars),
            request.AutoPause ?? false,
            request.Secure ?? false);
        var created = store.Create(context.GetTeam(), spec);
        await ApiResults.WriteJsonAsync(context, StatusCodes.Status201Created, SandboxDtoMapper.ToSandbox(created), SimulatorJsonContext.Default.SandboxResponse);
    }

    public Task GetAsync(HttpContext context)
    {
        var id = context.GetSandboxId();
        return store.Get(context.GetTeam(), id) is { } sandbox
            ? ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, SandboxDtoMapper.ToDetail(sandbox), SimulatorJsonContext.Default.SandboxDetailResponse)
            : ApiResults.WriteSandboxNotFoundAsync(context, id);
    }

    public Task DeleteAsync(HttpContext context)
    {
        var id = context.GetSandboxId();
        return store.Delete(context.GetTeam(), id) ? ApiResults.WriteNoContent(context) : ApiResults.WriteSandboxNotFoundAsync(context, id);
    }

    public async Task SetTimeoutAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context, SimulatorJsonContext.Default.TimeoutRequest, required: true);
        string? error = body.Error ?? (body.Value?.Timeout is null ? "Invalid request body: \"timeout\" is required" : null);
        var timeout = TimeSpan.Zero;
        if (error is null)
        {
            TimeoutRules.TryValidate(body.Value!.Timeout, out timeout, out error);
        }

        if (error is not null)
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var id = context.GetSandboxId();
        await WriteOutcomeAsync(context, id, store.SetTimeout(context.GetTeam(), id, timeout));
    }

    public async Task RefreshAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context, SimulatorJsonContext.Default.RefreshRequest, required: false);
        var seconds = body.Value?.Duration ?? 0;
        var error = body.Error ?? (seconds is < 0 or > MaxRefreshSeconds ? $"Duration must be between 0 and {MaxRefreshSeconds} seconds" : null);
        if (error is not null)
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var id = context.GetSandboxId();
        await WriteOutcomeAsync(context, id, store.Refresh(context.GetTeam(), id, TimeSpan.FromSeconds(seconds)));
    }

    public Task PauseAsync(HttpContext context)
    {
        var id = context.GetSandboxId();
        return WriteOutcomeAsync(context, id, store.Pause(context.GetTeam(), id));
    }

    public async Task ResumeAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context, SimulatorJsonContext.Default.ResumeRequest, required: false);
        if (OptionalTimeout(body.Error, body.Value?.Timeout, out var timeout) is { } error)
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var id = context.GetSandboxId();
        await WriteOutcomeAsync(context, id, store.Resume(context.GetTeam(), id, timeout, body.Value?.AutoPause));
    }

    public async Task ConnectAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context, SimulatorJsonContext.Default.TimeoutRequest, required: false);
        if (OptionalTimeout(body.Error, body.Value?.Timeout, out var timeout) is { } error)
        {
            await ApiResults.WriteBadRequestAsync(context, error);
            return;
        }

        var id = context.GetSandboxId();
        await WriteOutcomeAsync(context, id, store.Connect(context.GetTeam(), id, timeout), answerWithSandbox: true);
    }

    private static Task WriteOutcomeAsync(HttpContext context, string id, SandboxResult result, bool answerWithSandbox = false) => result.Outcome switch
    {
        SandboxOutcome.NotFound => ApiResults.WriteSandboxNotFoundAsync(context, id),
        SandboxOutcome.AlreadyPaused => ApiResults.WriteErrorAsync(context, StatusCodes.Status409Conflict, $"Sandbox {id} is already paused"),
        SandboxOutcome.AlreadyRunning => ApiResults.WriteErrorAsync(context, StatusCodes.Status409Conflict, $"Sandbox {id} is already running"),

        // Resume answers 201 with the Sandbox shape; connect answers 200 when it was running and 201 when it resumed.
        SandboxOutcome.Resumed => ApiResults.WriteJsonAsync(context, StatusCodes.Status201Created, SandboxDtoMapper.ToSandbox(result.Sandbox!), SimulatorJsonContext.Default.SandboxResponse),
        _ when answerWithSandbox => ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, SandboxDtoMapper.ToSandbox(result.Sandbox!), SimulatorJsonContext.Default.SandboxResponse),
        _ => ApiResults.WriteNoContent(context),
    };

    private static string? Validate(NewSandboxRequest request, out TimeSpan timeout)
    {
        timeout = TimeSpan.Zero;
        if (request.TemplateId is null)
        {
            return "Invalid request body: \"templateID\" is required";
        }

        if (string.IsNullOrWhiteSpace(request.TemplateId))
        {
            return "Invalid request body: \"templateID\" must not be empty";
        }

        return TimeoutRules.TryValidate(request.Timeout, out timeout, out var error)
            ? FindNullValue(request.Metadata, "metadata") ?? FindNullValue(request.EnvVars, "envVars")
            : error;
    }

    // An optional body with an optional timeout (default 15 s): the body's own error first, then the timeout's.
    private static string? OptionalTimeout(string? bodyError, int? seconds, out TimeSpan timeout)
    {
        timeout = TimeSpan.Zero;
        if (bodyError is not null)
        {
            return bodyError;
        }

        return TimeoutRules.TryValidate(seconds, out timeout, out var error) ? null : error;
    }

    private static string? FindNullValue(IReadOnlyDictionary<string, string>? map, string name)
    {
        foreach (var (key, value) in map ?? new Dictionary<string, string>())
        {
            if (value is null)
            {
                return $"Invalid request body: \"{name}.{key}\" must be a string";
            }
        }

        return null;
    }

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? map) =>
        map is null ? new(StringComparer.Ordinal) : new(map, StringComparer.Ordinal);
}
