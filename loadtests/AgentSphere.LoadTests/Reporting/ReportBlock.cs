namespace AgentSphere.LoadTests.Reporting;

/// <summary>One piece of a rendered report; Markdown (and the console) and HTML render the same blocks.</summary>
internal abstract record ReportBlock;

/// <summary>A heading, level 1 to 3.</summary>
internal sealed record HeadingBlock(int Level, string Text) : ReportBlock;

/// <summary>A paragraph of plain text.</summary>
internal sealed record ParagraphBlock(string Text) : ReportBlock;

/// <summary>A bulleted list of plain-text items.</summary>
internal sealed record ListBlock(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>A table; <paramref name="RightAligned"/> marks numeric columns. A cell may carry a status (see <see cref="ReportLayout.Status"/>).</summary>
internal sealed record TableBlock(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<bool> RightAligned) : ReportBlock;

/// <summary>Where the HTML page puts its charts; Markdown points to the HTML file instead.</summary>
internal sealed record ChartsBlock : ReportBlock;
