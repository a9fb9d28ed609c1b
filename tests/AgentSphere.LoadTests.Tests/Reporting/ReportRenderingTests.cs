using System.Text.Json;
using AgentSphere.LoadTests.Reporting;

namespace AgentSphere.LoadTests.Tests.Reporting;

public sealed class ReportRenderingTests
{
    [Fact]
    public void Markdown_MethodsTable_HasTheSeedsShapePerOperation()
    {
        // Act
        var markdown = MarkdownRenderer.Render(ReportLayout.Build(ReportFixture.Methods(), "methods.html"));

        // Assert
        Assert.StartsWith("# AgentSphere load test: methods\n", markdown, StringComparison.Ordinal);
        Assert.Contains("## API response times (seed table 1)", markdown, StringComparison.Ordinal);
        Assert.Equal(
            ["operation", "seed method", "count", "errors", "cache hits", "P50", "P95", "P99", "target (P99)", "seed P50 / P95 / P99", "status"],
            Cells(Row(markdown, "operation", "seed method")));
        Assert.Equal(
            ["list", "listActiveSandboxes()", "900", "0", "94 %", "2.1 ms", "120.0 ms", "140.0 ms", "< 1000 ms", "120.0 ms / 140.0 ms / 150.0 ms", "✅ pass"],
            Cells(Row(markdown, "list", "listActiveSandboxes()")));
        Assert.Equal(
            ["connect", "connectToSandbox()", "750", "0", "99 %", "2.0 ms", "3.5 ms", "600.0 ms", "< 500 ms", "250.0 ms / 290.0 ms / 300.0 ms", "❌ FAIL"],
            Cells(Row(markdown, "connect", "connectToSandbox()")));
        Assert.Equal(
            ["deploy", "deployProject()", "15", "0", "0 %", "15.00 s", "17.00 s", "18.00 s", "< 30 s", "15.00 s / 17.00 s / 18.00 s", "✅ pass"],
            Cells(Row(markdown, "deploy", "deployProject()")));
        Assert.Equal("overall (list, find, connect, monitor)", Cells(Row(markdown, "overall (list, find, connect, monitor)", ""))[0]);
        Assert.Contains("Latency, rate and memory over time: see methods.html.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_Checks_SayWhichTargetWasMissed()
    {
        var markdown = MarkdownRenderer.Render(ReportLayout.Build(ReportFixture.Methods()));

        Assert.Contains("- Result: FAIL: 1 of 4 judged targets missed", markdown, StringComparison.Ordinal);
        Assert.Equal(
            ["run", "error rate (all operations)", "< 0.05 %", "0.04 % (1 of 2730)", "✅ pass"],
            Cells(Row(markdown, "run", "error rate (all operations)")));
        Assert.Equal(
            ["run", "every operation under its target"],
            Cells(Row(markdown, "run", "every operation under its target"))[..2]);
        Assert.Contains("connect P99 600 ms ≥ 500 ms", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_Tables_AreAlignedForATerminal()
    {
        var markdown = MarkdownRenderer.Render(ReportLayout.Build(ReportFixture.Methods()));

        // Every line of a table has the same display width (the status emoji and CJK count two columns).
        foreach (var table in Tables(markdown))
        {
            Assert.Single(table.Select(MarkdownRenderer.DisplayWidth).Distinct());
        }
    }

    [Fact]
    public void Html_IsSelfContainedWithThreeInlineCharts()
    {
        // Act
        var document = ReportFixture.Methods();
        var html = HtmlRenderer.Render(document, ReportLayout.Build(document));

        // Assert
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(3, Count(html, "<svg "));
        Assert.Contains("Latency over time (list, find, connect, monitor)", html, StringComparison.Ordinal);
        Assert.Contains("Rate over time", html, StringComparison.Ordinal);
        Assert.Contains("Gateway memory over time", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("A note with &lt;angle&gt; &amp; ampersand.", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"fail\">❌ FAIL</td>", html, StringComparison.Ordinal);
        Assert.Contains("&lt; 800 ms", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_WithoutMemory_SaysNotMeasuredAndDrawsTwoCharts()
    {
        var document = ReportFixture.Methods(withMemory: false);

        var html = HtmlRenderer.Render(document, ReportLayout.Build(document));

        Assert.Equal(2, Count(html, "<svg "));
        Assert.Contains("Gateway memory: not measured (no --metrics URL given)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_IntervalWithoutLatencies_BreaksTheLine()
    {
        // Point 7 of the fixture has no completed reads: the P50 line has two segments.
        var (_, latency) = HtmlRenderer.BuildCharts(ReportFixture.Methods())[0];

        Assert.Equal(6, Count(latency, "<polyline"));
        Assert.Contains("P99 bar 800 ms", latency, StringComparison.Ordinal);
        Assert.Contains(">priming<", latency, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_KeepsTheReadsFieldsAndAddsTheVerdict()
    {
        // Act
        using var json = JsonDocument.Parse(ReportFiles.Json(ReportFixture.Methods()));
        var root = json.RootElement;

        // Assert: the fields the bench scripts read are where they were.
        Assert.Equal(640, root.GetProperty("overall").GetProperty("latencyMs").GetProperty("p99").GetDouble());
        Assert.Equal(50, root.GetProperty("measuredRate").GetDouble());
        Assert.Equal(54.6, root.GetProperty("durationSeconds").GetDouble());
        Assert.Equal("2026-11-25T10:00:05+00:00", root.GetProperty("measuredFrom").GetString());
        Assert.Equal(900, root.GetProperty("operations").GetProperty("list").GetProperty("count").GetInt64());
        Assert.Equal(500, root.GetProperty("operations").GetProperty("connect").GetProperty("targetP99Ms").GetDouble());
        Assert.False(root.GetProperty("operations").GetProperty("connect").GetProperty("pass").GetBoolean());
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(["list", "find", "connect", "monitor"], root.GetProperty("overallOperations").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(10, root.GetProperty("series").GetArrayLength());
        Assert.Equal(12.5, root.GetProperty("memory").GetProperty("growthMbPerHour").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("capacity").ValueKind);
    }

    [Fact]
    public void SummaryLine_NamesTheVerdictAndWhatWasMissed()
    {
        var line = ReportLayout.SummaryLine(ReportFixture.Methods());

        Assert.StartsWith("RESULT methods FAIL: 50 ops/s for 54.6 s, overall P99 640.0 ms, all-op P99 3100.0 ms, errors 0.04 % (1/2730), gateway memory peak 190 MB", line, StringComparison.Ordinal);
        Assert.EndsWith("; missed: every operation under its target", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out/methods", "out/methods.md", "out/methods.html", "out/methods.json")]
    [InlineData("out/methods.json", "out/methods.md", "out/methods.html", "out/methods.json")]
    [InlineData("out/methods.MD", "out/methods.md", "out/methods.html", "out/methods.json")]
    [InlineData("out/methods.htm", "out/methods.md", "out/methods.html", "out/methods.json")]
    [InlineData("out/run.v2", "out/run.v2.md", "out/run.v2.html", "out/run.v2.json")]
    public void PathsFor_ReplacesAKnownExtensionAndKeepsOthers(string given, string md, string html, string json) =>
        Assert.Equal((md, html, json), ReportFiles.PathsFor(given));

    [Fact]
    public async Task WriteAsync_WritesAllThreeBesideEachOther()
    {
        var directory = Path.Combine(Path.GetTempPath(), "loadtests-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var paths = await ReportFiles.WriteAsync(ReportFixture.Methods(), Path.Combine(directory, "nested", "methods.json"));

            Assert.True(File.Exists(paths.Markdown));
            Assert.True(File.Exists(paths.Html));
            Assert.True(File.Exists(paths.Json));
            Assert.Contains("see methods.html.", await File.ReadAllTextAsync(paths.Markdown), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Row(string markdown, string first, string second) =>
        markdown.Split('\n').First(line => line.StartsWith('|') && Cells(line) is [var a, var b, ..] && a == first && (second.Length == 0 || b == second));

    private static string[] Cells(string row) => [.. row.Trim().Trim('|').Split(" | ").Select(c => c.Trim())];

    private static IEnumerable<List<string>> Tables(string markdown)
    {
        var current = new List<string>();
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                current.Add(line);
            }
            else if (current.Count > 0)
            {
                yield return current;
                current = [];
            }
        }
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
