using System.Text;
using System.Text.Json;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Where <c>--report FILE</c> writes: <c>FILE.md</c>, <c>FILE.html</c> and <c>FILE.json</c> side by side.</summary>
/// <remarks>
/// A <c>.md</c>, <c>.html</c>, <c>.htm</c> or <c>.json</c> extension on FILE is replaced, any other is kept: <c>--report
/// out/ramp.json</c> and <c>--report out/ramp</c> both give <c>out/ramp.{md,html,json}</c>, so scripts that asked for
/// a JSON file still find it where they asked.
/// </remarks>
internal static class ReportFiles
{
    private static readonly string[] KnownExtensions = [".md", ".html", ".htm", ".json"];

    /// <summary>The three paths for <paramref name="path"/>.</summary>
    public static (string Markdown, string Html, string Json) PathsFor(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path);
        var stem = KnownExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) ? path[..^extension.Length] : path;
        return (stem + ".md", stem + ".html", stem + ".json");
    }

    public static string Json(ReportDocument document) => JsonSerializer.Serialize(document, ReportJsonContext.Default.ReportDocument);

    /// <summary>Writes all three files, creating the directory; returns their paths.</summary>
    public static async Task<(string Markdown, string Html, string Json)> WriteAsync(ReportDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        var paths = PathsFor(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(paths.Json));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await File.WriteAllTextAsync(paths.Markdown, MarkdownRenderer.Render(ReportLayout.Build(document, Path.GetFileName(paths.Html))), utf8);
        await File.WriteAllTextAsync(paths.Html, HtmlRenderer.Render(document, ReportLayout.Build(document)), utf8);
        await File.WriteAllTextAsync(paths.Json, Json(document), utf8);
        return paths;
    }
}
