using System.Diagnostics.CodeAnalysis;
using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Api;

/// <summary>Handlers for <c>GET /sandboxes</c> (v1, running only by default) and <c>GET /v2/sandboxes</c> (paginated).</summary>
internal sealed class ListHandlers(SandboxStore store)
{
    public const string NextTokenHeader = "X-Next-Token";
    public const int MaxLimit = 100;

    public Task ListV1Async(HttpContext context)
    {
        if (!TryParseFilters(context.Request, QueryParser.RunningOnly, out var states, out var filter, out var error))
        {
            return ApiResults.WriteBadRequestAsync(context, error);
        }

        var items = store.List(context.GetTeam(), states, filter);
        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, ToListed(items), SimulatorJsonContext.Default.ListedSandboxResponseArray);
    }

    public Task ListV2Async(HttpContext context)
    {
        var request = context.Request;
        if (!TryParseFilters(request, QueryParser.RunningAndPaused, out var states, out var filter, out var error))
        {
            return ApiResults.WriteBadRequestAsync(context, error);
        }

        if (!QueryParser.TryParseInt64(request, "limit", 1, MaxLimit, out var limit, out error))
        {
            return ApiResults.WriteBadRequestAsync(context, error);
        }

        SandboxPageCursor? cursor = null;
        var token = request.Query["nextToken"].ToString();
        if (token.Length > 0)
        {
            if (!SandboxPageCursor.TryDecode(token, out cursor))
            {
                return ApiResults.WriteBadRequestAsync(context, "Invalid nextToken");
            }
        }

        var page = store.ListPage(context.GetTeam(), states, filter, (int)(limit ?? MaxLimit), cursor);
        if (page.Next is { } next)
        {
            context.Response.Headers[NextTokenHeader] = next.Encode();
        }

        return ApiResults.WriteJsonAsync(context, StatusCodes.Status200OK, ToListed(page.Items), SimulatorJsonContext.Default.ListedSandboxResponseArray);
    }

    private static bool TryParseFilters(
        HttpRequest request,
        IReadOnlySet<SandboxState> defaultStates,
        [NotNullWhen(true)] out IReadOnlySet<SandboxState>? states,
        [NotNullWhen(true)] out MetadataFilter? filter,
        [NotNullWhen(false)] out string? error)
    {
        filter = null;
        return QueryParser.TryParseStates(request, defaultStates, out states, out error)
            && MetadataFilter.TryParse(request.Query["metadata"].ToString(), out filter, out error);
    }

    private static ListedSandboxResponse[] ToListed(IReadOnlyList<SandboxInfo> items)
    {
        var result = new ListedSandboxResponse[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = SandboxDtoMapper.ToListed(items[i]);
        }

        return result;
    }
}
