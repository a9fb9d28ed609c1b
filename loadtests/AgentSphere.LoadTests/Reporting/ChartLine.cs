namespace AgentSphere.LoadTests.Reporting;

/// <summary>One series of a chart; a null value breaks the line.</summary>
internal sealed record ChartLine(string Name, string Color, IReadOnlyList<(double X, double? Y)> Points, bool Dashed = false);
