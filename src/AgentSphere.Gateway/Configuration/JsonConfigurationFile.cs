using System.Text.Json;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Checks that a JSON configuration file parses, so a syntax error is reported with the file and the line rather than as the framework's "could not parse".</summary>
internal static class JsonConfigurationFile
{
    // The same leniency as the framework's JSON configuration provider.
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Throws a <see cref="GatewayConfigurationException"/> naming <paramref name="path"/> and the line when the file is not valid JSON.</summary>
    public static void EnsureWellFormed(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException($"Cannot read '{path}': {ex.Message}", ex);
        }

        EnsureWellFormed(path, bytes);
    }

    /// <summary>As <see cref="EnsureWellFormed(string)"/>, for content already read.</summary>
    public static void EnsureWellFormed(string path, byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new GatewayConfigurationException($"'{path}' must hold a JSON object ({{ ... }}); found {document.RootElement.ValueKind}.");
            }
        }
        catch (JsonException ex)
        {
            throw new GatewayConfigurationException(Describe(path, ex), ex);
        }
    }

    /// <summary>"'path' is not valid JSON at line L, column C: reason", with 1-based line and column.</summary>
    public static string Describe(string path, JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            reason = reason[..cut].TrimEnd(' ', '|');
        }

        return exception.LineNumber is { } line
            ? $"'{path}' is not valid JSON at line {line + 1}, column {(exception.BytePositionInLine ?? 0) + 1}: {reason}"
            : $"'{path}' is not valid JSON: {reason}";
    }
}
