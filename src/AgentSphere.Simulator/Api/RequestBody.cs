using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentSphere.Simulator.Api;

/// <summary>Reads small JSON request bodies so that every parse failure becomes a precise 400 message.</summary>
internal static class RequestBody
{
    private const int MaxBytes = 1024 * 1024;

    public static async Task<RequestBodyResult<T>> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool required)
        where T : class
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            return new(null, "Request body is too large");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > MaxBytes)
        {
            return new(null, "Request body is too large");
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (IsBlank(bytes.Span))
        {
            return required ? new(null, "Request body is required") : new(null, null);
        }

        try
        {
            var value = JsonSerializer.Deserialize(bytes.Span, typeInfo);
            return value is null && required ? new(null, "Request body must be a JSON object") : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, $"Invalid JSON in request body: {ex.Message}");
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
