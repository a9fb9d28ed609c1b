using System.Globalization;
using System.Net;
using System.Text;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Draws a line chart as a self-contained inline SVG: axes with round ticks, phase bands, reference lines, a legend.</summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int Height = 280;
    private const int Left = 70;
    private const int Right = 16;
    private const int Top = 34;
    private const int Bottom = 36;
    private const double PlotWidth = Width - Left - Right;
    private const double PlotHeight = Height - Top - Bottom;

    public static string Render(
        string title,
        string unit,
        IReadOnlyList<ChartLine> lines,
        IReadOnlyList<ChartBand> bands,
        IReadOnlyList<ChartThreshold> thresholds,
        double xMax)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(thresholds);
        xMax = xMax > 0 ? xMax : 1;
        var dataMax = lines.SelectMany(l => l.Points).Select(p => p.Y ?? 0).DefaultIfEmpty(0).Max();
        var yTicks = NiceTicks(Math.Max(dataMax, thresholds.Select(t => t.Y).DefaultIfEmpty(0).Max()) * 1.05);
        var yMax = yTicks[^1];
        var xTicks = NiceTicks(xMax, 8);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(title)}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Encode(title)}</text>"));

        foreach (var band in bands)
        {
            var x1 = X(Math.Max(0, band.From), xMax);
            var x2 = X(Math.Min(xMax, band.To), xMax);
            if (x2 <= x1)
            {
                continue;
            }

            if (!band.Measured)
            {
                svg.Append(Invariant($"<rect x=\"{x1:0.#}\" y=\"{Top}\" width=\"{x2 - x1:0.#}\" height=\"{PlotHeight:0.#}\" fill=\"#ececec\"/>"));
            }

            svg.Append(Invariant($"<line x1=\"{x1:0.#}\" y1=\"{Top}\" x2=\"{x1:0.#}\" y2=\"{Top + PlotHeight:0.#}\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>"));
            if (x2 - x1 >= (band.Label.Length * 6) + 6)
            {
                svg.Append(Invariant($"<text x=\"{x1 + 3:0.#}\" y=\"{Top + 11}\" fill=\"#777\" font-size=\"10\">{Encode(band.Label)}</text>"));
            }
        }

        foreach (var tick in yTicks)
        {
            var y = Y(tick, yMax);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + PlotWidth:0.#}\" y2=\"{y:0.#}\" stroke=\"#e4e4e4\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Encode(FormatValue(tick, unit))}</text>"));
        }

        foreach (var tick in xTicks.Where(t => t <= xMax))
        {
            var x = X(tick, xMax);
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top + PlotHeight:0.#}\" x2=\"{x:0.#}\" y2=\"{Top + PlotHeight + 4:0.#}\" stroke=\"#555\"/>"));
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Top + PlotHeight + 16:0.#}\" text-anchor=\"middle\">{Encode(FormatSeconds(tick, xMax))}</text>"));
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth:0.#}\" height=\"{PlotHeight:0.#}\" fill=\"none\" stroke=\"#555\"/>"));
        svg.Append(Invariant($"<text x=\"{Left + (PlotWidth / 2):0.#}\" y=\"{Height - 4}\" text-anchor=\"middle\" fill=\"#555\">time since start</text>"));

        foreach (var threshold in thresholds.Where(t => t.Y <= yMax))
        {
            var y = Y(threshold.Y, yMax);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + PlotWidth:0.#}\" y2=\"{y:0.#}\" stroke=\"{threshold.Color}\" stroke-dasharray=\"6,4\"/>"));
            svg.Append(Invariant($"<text x=\"{Left + PlotWidth - 4:0.#}\" y=\"{y - 4:0.#}\" text-anchor=\"end\" fill=\"{threshold.Color}\">{Encode(threshold.Label)}</text>"));
        }

        foreach (var line in lines)
        {
            foreach (var segment in Segments(line.Points))
            {
                if (segment.Count == 1)
                {
                    svg.Append(Invariant($"<circle cx=\"{X(segment[0].X, xMax):0.#}\" cy=\"{Y(segment[0].Y, yMax):0.#}\" r=\"1.8\" fill=\"{line.Color}\"/>"));
                    continue;
                }

                svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"1.6\""));
                if (line.Dashed)
                {
                    svg.Append(" stroke-dasharray=\"5,3\"");
                }

                svg.Append(" points=\"");
                foreach (var (x, y) in segment)
                {
                    svg.Append(Invariant($"{X(x, xMax):0.#},{Y(y, yMax):0.#} "));
                }

                svg.Append("\"/>");
            }
        }

        var legendX = Width - Right;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var label = lines[i].Name;
            legendX -= (label.Length * 7) + 30;
            svg.Append(Invariant($"<line x1=\"{legendX}\" y1=\"12\" x2=\"{legendX + 18}\" y2=\"12\" stroke=\"{lines[i].Color}\" stroke-width=\"3\"/>"));
            svg.Append(Invariant($"<text x=\"{legendX + 22}\" y=\"16\">{Encode(label)}</text>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Round tick values from 0 to at least <paramref name="max"/>: steps of 1, 2 or 5 times a power of ten, about <paramref name="target"/> of them.</summary>
    public static IReadOnlyList<double> NiceTicks(double max, int target = 5)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            return [0, 1];
        }

        var raw = max / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var i = 0; ; i++)
        {
            var tick = Math.Round(i * step, 10);
            ticks.Add(tick);
            if (tick >= max)
            {
                return ticks;
            }
        }
    }

    private static List<List<(double X, double Y)>> Segments(IReadOnlyList<(double X, double? Y)> points)
    {
        var segments = new List<List<(double, double)>>();
        List<(double, double)>? current = null;
        foreach (var (x, y) in points)
        {
            if (y is not { } value || double.IsNaN(value))
            {
                current = null;
                continue;
            }

            if (current is null)
            {
                current = [];
                segments.Add(current);
            }

            current.Add((x, value));
        }

        return segments;
    }

    private static double X(double seconds, double xMax) => Left + (seconds / xMax * PlotWidth);

    private static double Y(double value, double yMax) => Top + PlotHeight - (Math.Min(value, yMax) / yMax * PlotHeight);

    private static string FormatValue(double value, string unit) => unit switch
    {
        "ms" when value >= 10_000 => Invariant($"{value / 1000:0.#} s"),
        _ => Invariant($"{value:0.###} {unit}"),
    };

    private static string FormatSeconds(double seconds, double xMax) => xMax > 300
        ? Invariant($"{seconds / 60:0.#} min")
        : Invariant($"{seconds:0.#} s");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
