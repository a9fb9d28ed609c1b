using System.Text;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Renders report blocks as Markdown with padded tables, readable as is in a terminal.</summary>
internal static class MarkdownRenderer
{
    public static string Render(IReadOnlyList<ReportBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    text.Append('#', heading.Level).Append(' ').Append(heading.Text).Append('\n');
                    break;
                case ParagraphBlock paragraph:
                    text.Append(paragraph.Text).Append('\n');
                    break;
                case ListBlock list:
                    foreach (var item in list.Items)
                    {
                        text.Append("- ").Append(item).Append('\n');
                    }

                    break;
                case TableBlock table:
                    Table(text, table);
                    break;
                case ChartsBlock:
                    text.Append("(charts are in the HTML report)\n");
                    break;
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Terminal columns a string takes: CJK ideographs and the status emoji are two wide.</summary>
    public static int DisplayWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += rune.Value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3000 and <= 0x303F) or (>= 0xFF00 and <= 0xFF60) or 0x2705 or 0x274C ? 2 : 1;
        }

        return width;
    }

    private static void Table(StringBuilder text, TableBlock table)
    {
        var columns = table.Headers.Count;
        var cells = new List<string[]> { table.Headers.Select(Escape).ToArray() };
        cells.AddRange(table.Rows.Select(row => Enumerable.Range(0, columns).Select(i => i < row.Count ? Escape(row[i]) : "").ToArray()));
        var widths = Enumerable.Range(0, columns).Select(i => Math.Max(3, cells.Max(row => DisplayWidth(row[i])))).ToArray();

        Row(cells[0]);
        text.Append('|');
        for (var i = 0; i < columns; i++)
        {
            var right = i < table.RightAligned.Count && table.RightAligned[i];
            text.Append(' ').Append('-', widths[i] - (right ? 1 : 0)).Append(right ? ":" : "").Append(" |");
        }

        text.Append('\n');
        foreach (var row in cells.Skip(1))
        {
            Row(row);
        }

        void Row(string[] row)
        {
            text.Append('|');
            for (var i = 0; i < columns; i++)
            {
                var pad = widths[i] - DisplayWidth(row[i]);
                var right = i < table.RightAligned.Count && table.RightAligned[i];
                text.Append(' ');
                if (right)
                {
                    text.Append(' ', pad).Append(row[i]);
                }
                else
                {
                    text.Append(row[i]).Append(' ', pad);
                }

                text.Append(" |");
            }

            text.Append('\n');
        }
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
