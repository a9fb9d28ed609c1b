using System.Text.Json.Serialization;

namespace AgentSphere.LoadTests.Reporting;

/// <summary>Source-generated JSON for the report: camelCase names, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
