namespace AgentSphere.LoadTests.Reporting;

/// <summary>One judged target.</summary>
/// <param name="Scope">What it is about: a section name or <c>run</c>.</param>
/// <param name="Name">The target, e.g. <c>overall P99 (list, find, connect, monitor)</c>.</param>
/// <param name="Expected">The bar, e.g. <c>&lt; 800 ms</c>.</param>
/// <param name="Actual">What was measured.</param>
/// <param name="Passed">Met; null when not judged (the note says why).</param>
/// <param name="Note">Why it was not judged, or a remark.</param>
internal sealed record CheckResult(string Scope, string Name, string Expected, string Actual, bool? Passed, string? Note = null);
