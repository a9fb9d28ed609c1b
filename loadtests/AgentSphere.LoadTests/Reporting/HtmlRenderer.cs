using System.Globalization;
using System.Net;
using System.Text;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Renders a report as one self-contained HTML page: the same blocks as the Markdown, plus inline SVG charts (no scripts, no external files).</summary>
internal static class HtmlRenderer
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; line-height: 1.4; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; } h3 { font-size: 1em; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 0.85em; }
        th, td { border: 1px solid #ccc; padding: 3px 7px; } th { background: #f3f3f3; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.pass { background: #e7f6e7; } td.fail { background: #fbe3e3; font-weight: bold; }
        figure { margin: 12px 0; } figcaption { font-size: 0.85em; color: #555; }
        """;

    public static string Render(ReportDocument document, IReadOnlyList<ReportBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(blocks);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encode("AgentSphere load test: " + document.Scenario))
            .Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    html.Append(Invariant($"<h{heading.Level}>")).Append(Encode(heading.Text)).Append(Invariant($"</h{heading.Level}>\n"));
                    break;
                case ParagraphBlock paragraph:
                    html.Append("<p>").Append(Encode(paragraph.Text)).Append("</p>\n");
                    break;
                case ListBlock list:
                    html.Append("<ul>\n");
                    foreach (var item in list.Items)
                    {
                        html.Append("<li>").Append(Encode(item)).Append("</li>\n");
                    }

                    html.Append("</ul>\n");
                    break;
                case TableBlock table:
                    Table(html, table);
                    break;
                case ChartsBlock:
                    Charts(html, document);
                    break;
            }
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The charts: overall latency percentiles, request rates and (when measured) gateway memory over time.</summary>
    public static IReadOnlyList<(string Caption, string Svg)> BuildCharts(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var points = document.Series;
        var xMax = Math.Max(
            points.Select(p => p.EndSeconds).DefaultIfEmpty(0).Max(),
            document.Phases.Select(p => p.EndSeconds).DefaultIfEmpty(0).Max());
        var bands = document.Phases.Select(p => new ChartBand(p.StartSeconds, p.EndSeconds, p.Label, p.Measured)).ToList();
        var covers = string.Join(", ", document.OverallOperations);
        // The typical interval: the series closes one per tick, but a pause between runs (priming, teardown) stretches one.
        var lengths = points.Select(p => p.EndSeconds - p.StartSeconds).Order().ToList();
        var interval = lengths.Count > 0 ? lengths[lengths.Count / 2] : 1;

        double X(Recording.SeriesPoint p) => (p.StartSeconds + p.EndSeconds) / 2;
        double? Latency(Recording.SeriesPoint p, double value) => p.LatencyCount > 0 ? value : null;
        double Rate(Recording.SeriesPoint p, long count) => p.EndSeconds > p.StartSeconds ? count / (p.EndSeconds - p.StartSeconds) : 0;

        var charts = new List<(string, string)>
        {
            (
                Invariant($"Latency of {covers} per interval of about {interval:0.#} s (by completion time), P50 / P95 / P99. Shaded: not measured (priming, warm-up)."),
                SvgChart.Render(
                    "Latency over time (" + covers + ")",
                    "ms",
                    [
                        new ChartLine("P50", "#2b7bb9", [.. points.Select(p => (X(p), Latency(p, p.P50Ms)))]),
                        new ChartLine("P95", "#e08a1e", [.. points.Select(p => (X(p), Latency(p, p.P95Ms)))]),
                        new ChartLine("P99", "#c0392b", [.. points.Select(p => (X(p), Latency(p, p.P99Ms)))]),
                    ],
                    bands,
                    document.Scenario is "reads" or "capacity" ? [] : [new ChartThreshold(SeedTargets.Sustained.OverallP99Ms, "P99 bar 800 ms", "#c0392b")],
                    xMax)),
            (
                "Requests per second per interval: sent (the offered load), completed, and errors (any non-2xx or failure).",
                SvgChart.Render(
                    "Rate over time",
                    "/s",
                    [
                        new ChartLine("sent", "#2b7bb9", [.. points.Select(p => (X(p), (double?)Rate(p, p.Sent)))]),
                        new ChartLine("completed", "#27ae60", [.. points.Select(p => (X(p), (double?)Rate(p, p.Completed)))], Dashed: true),
                        new ChartLine("errors", "#c0392b", [.. points.Select(p => (X(p), (double?)Rate(p, p.Errors)))]),
                    ],
                    bands,
                    [],
                    xMax)),
        };

        if (document.MemorySeries.Count > 0)
        {
            charts.Add((
                "The gateway's working set, read from its /metrics once a second.",
                SvgChart.Render(
                    "Gateway memory over time",
                    "MB",
                    [new ChartLine("working set", "#8e44ad", [.. document.MemorySeries.Select(s => (s.Seconds, (double?)Math.Round(s.Bytes / (1024 * 1024), 1)))])],
                    bands,
                    [],
                    xMax)));
        }

        return charts;
    }

    private static void Charts(StringBuilder html, ReportDocument document)
    {
        foreach (var (caption, svg) in BuildCharts(document))
        {
            html.Append("<figure>\n").Append(svg).Append("\n<figcaption>").Append(Encode(caption)).Append("</figcaption>\n</figure>\n");
        }

        if (document.MemorySeries.Count == 0)
        {
            html.Append("<p>Gateway memory: not measured (").Append(Encode(document.Memory.Problem ?? "")).Append(").</p>\n");
        }
    }

    private static void Table(StringBuilder html, TableBlock table)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (var header in table.Headers)
        {
            html.Append("<th>").Append(Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                var cell = row[i];
                var classes = new List<string>();
                if (i < table.RightAligned.Count && table.RightAligned[i])
                {
                    classes.Add("num");
                }

                if (cell.StartsWith("✅", StringComparison.Ordinal))
                {
                    classes.Add("pass");
                }
                else if (cell.StartsWith("❌", StringComparison.Ordinal))
                {
                    classes.Add("fail");
                }

                html.Append(classes.Count > 0 ? "<td class=\"" + string.Join(' ', classes) + "\">" : "<td>").Append(Encode(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
