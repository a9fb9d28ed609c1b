using System.Text.Json.Serialization.Metadata;

namespace AgentSphere.Simulator.Api;

/// <summary>Writes API responses with the source-generated JSON metadata.</summary>
internal static class ApiResults
{
    private const string JsonContentType = "application/json";

    public static Task WriteJsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(value, typeInfo, JsonContentType, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteJsonAsync(context, statusCode, new ErrorResponse(statusCode, message), SimulatorJsonContext.Default.ErrorResponse);

    public static Task WriteBadRequestAsync(HttpContext context, string message) =>
        WriteErrorAsync(context, StatusCodes.Status400BadRequest, message);

    public static Task WriteSandboxNotFoundAsync(HttpContext context, string id) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, $"sandbox \"{id}\" doesn't exist or you don't have access to it");

    public static Task WriteNoContent(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
