using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Operations;
using Xunit.Abstractions;

namespace AgentSphere.Gateway.Tests.Observability;

/// <summary>
/// The files for existing tooling (config/prometheus, config/grafana): valid for promtool, carrying the seed's alert
/// thresholds, and naming only metrics the gateway exports, so they cannot drift from the gateway.
/// </summary>
public sealed partial class PrometheusFilesTests(ITestOutputHelper output)
{
    private const string ResponseTimeP95 =
        "histogram_quantile(0.95, sum by (le) (rate(agentsphere_gateway_request_duration_seconds_bucket[5m])))";

    private const string OverallQuantiles = "quantile:agentsphere_gateway_request_duration_seconds:histogram_quantile_rate5m";
    private const string OperationQuantiles = "operation_quantile:agentsphere_gateway_request_duration_seconds:histogram_quantile_rate5m";
    private const string PromtoolPath = "/usr/bin/promtool";
    private static readonly TimeSpan PromtoolTimeout = TimeSpan.FromSeconds(60);

    private static string PrometheusDirectory => Path.Combine(RepositoryPaths.Root, "config", "prometheus");

    private static string AlertsPath => Path.Combine(PrometheusDirectory, "alerts.yml");

    private static string DashboardPath => Path.Combine(RepositoryPaths.Root, "config", "grafana", "agentsphere-gateway.json");

    /// <summary>The seed's thresholds (warning / critical / emergency, in the seed's unit), the quantity each alert compares and the seed unit per unit of that quantity.</summary>
    public static TheoryData<AlertMetric, string, string, double, double, double, double> SeedThresholds => new()
    {
        { AlertMetric.SystemMemory, "system_memory", "agentsphere_gateway_system_memory_percent", 1, 70, 85, 95 },
        { AlertMetric.SystemCpu, "system_cpu", "agentsphere_gateway_system_cpu_percent", 1, 60, 80, 90 },
        { AlertMetric.GatewayMemory, "gateway_memory", "agentsphere_gateway_process_working_set_bytes / 1024 / 1024", 1, 400, 600, 800 },
        { AlertMetric.ActiveSandboxes, "active_sandboxes", "agentsphere_gateway_active_sandboxes", 1, 30, 45, 50 },
        { AlertMetric.ResponseTime, "response_time", ResponseTimeP95, 1000, 1000, 2000, 5000 },
    };

    [Fact]
    public async Task PromtoolCheckRules_AlertsFile_IsValid()
    {
        // Act
        var (exitCode, text) = await RunPromtoolAsync("check", "rules", "config/prometheus/alerts.yml");

        // Assert
        Assert.True(exitCode == 0, $"promtool check rules failed (exit {exitCode}):\n{text}");
    }

    [Fact]
    public async Task PromtoolCheckConfig_ScrapeExample_IsValidAndLoadsTheRules()
    {
        // Act
        var (exitCode, text) = await RunPromtoolAsync("check", "config", "config/prometheus/prometheus.yml");

        // Assert
        Assert.True(exitCode == 0, $"promtool check config failed (exit {exitCode}):\n{text}");
        Assert.Contains("1 rule files found", text, StringComparison.Ordinal);
        var config = await File.ReadAllTextAsync(Path.Combine(PrometheusDirectory, "prometheus.yml"));
        Assert.Contains("job_name: agentsphere-gateway", config, StringComparison.Ordinal);
        Assert.Contains("metrics_path: /metrics", config, StringComparison.Ordinal);
        Assert.Contains("\"127.0.0.1:8081\"", config, StringComparison.Ordinal);
        Assert.Contains("#   credentials_file:", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_SyntheticSeries_AlertsFireAtTheSeedThresholds()
    {
        // Act: alerts.test.yml feeds P95 1.2 s and 0.8 s, CPU at 85 % and 95 %, and so on, and states what must fire.
        var (exitCode, text) = await RunPromtoolAsync("test", "rules", "config/prometheus/alerts.test.yml");

        // Assert
        Assert.True(exitCode == 0, $"promtool test rules failed (exit {exitCode}):\n{text}");
        Assert.Contains("SUCCESS", text, StringComparison.Ordinal);
        var tests = await File.ReadAllTextAsync(Path.Combine(PrometheusDirectory, "alerts.test.yml"));
        Assert.Contains("alertname: AgentSphereResponseTimeWarning", tests, StringComparison.Ordinal);
        Assert.Contains("alertname: AgentSphereSystemCpuCritical", tests, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeedThresholds))]
    public async Task AlertsFile_SeedThresholds_OneRulePerLevelComparingAtTheThreshold(
        AlertMetric metric, string metricLabel, string quantity, double seedUnitsPerUnit, double warning, double critical, double emergency)
    {
        // Arrange: the seed's numbers are also the gateway's own defaults, so Prometheus and /alerts agree.
        var defaults = new AlertOptions().GetThresholds(metric);
        Assert.Equal((warning, critical, emergency), (defaults.Warning, defaults.Critical, defaults.Emergency));
        var rules = ParseRules(await File.ReadAllTextAsync(AlertsPath));

        // Act / Assert: one alert per level, labelled like agentsphere_gateway_alert_level{metric}, comparing at the threshold.
        foreach (var (severity, threshold) in new[] { ("warning", warning), ("critical", critical), ("emergency", emergency) })
        {
            var matching = rules.Where(r => r.IsAlert && r.Label("metric") == metricLabel && r.Label("severity") == severity).ToList();
            var rule = Assert.Single(matching);
            var expected = quantity + " >= " + (threshold / seedUnitsPerUnit).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, rule.Expr);
            Assert.False(string.IsNullOrEmpty(rule.For), $"{rule.Name} has no for: duration");
            Assert.Contains("$value", rule.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AlertsFile_RecordingRules_RecordOverallAndPerOperationQuantiles()
    {
        // Arrange
        var rules = ParseRules(await File.ReadAllTextAsync(AlertsPath));

        // Act
        var recorded = rules.Where(r => !r.IsAlert).Select(r => (r.Name, Quantile: r.Label("quantile"), r.Expr)).ToList();

        // Assert
        foreach (var quantile in new[] { "0.5", "0.95", "0.99" })
        {
            Assert.Contains((OverallQuantiles, quantile,
                $"histogram_quantile({quantile}, sum by (le) (rate(agentsphere_gateway_request_duration_seconds_bucket[5m])))"), recorded);
            Assert.Contains((OperationQuantiles, quantile,
                $"histogram_quantile({quantile}, sum by (le, operation) (rate(agentsphere_gateway_request_duration_seconds_bucket[5m])))"), recorded);
        }

        // Every operation named in a matcher is one the gateway classifies requests into.
        foreach (Match match in OperationMatcherRegex().Matches(await File.ReadAllTextAsync(AlertsPath)))
        {
            foreach (var name in match.Groups["names"].Value.Split('|'))
            {
                Assert.Contains(name, AgentSphereOperations.Names);
            }
        }
    }

    [Fact]
    public async Task Dashboard_Settings_ImportableWithAPrometheusInput()
    {
        // Arrange
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        var root = dashboard.RootElement;

        // Assert: importable from the UI (the DS_PROMETHEUS input) and provisionable from a file (the variable of the same name).
        Assert.Equal("agentsphere-gateway", root.GetProperty("uid").GetString());
        Assert.Equal("5s", root.GetProperty("refresh").GetString());
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        var input = Assert.Single(root.GetProperty("__inputs").EnumerateArray());
        Assert.Equal("DS_PROMETHEUS", input.GetProperty("name").GetString());
        Assert.Equal("prometheus", input.GetProperty("pluginId").GetString());
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v);
        Assert.Equal("datasource", variables["DS_PROMETHEUS"].GetProperty("type").GetString());
        Assert.Equal("prometheus", variables["DS_PROMETHEUS"].GetProperty("query").GetString());
        var operation = variables["operation"];
        Assert.True(operation.GetProperty("multi").GetBoolean());
        Assert.True(operation.GetProperty("includeAll").GetBoolean());
        Assert.Contains("operation)", operation.GetProperty("definition").GetString(), StringComparison.Ordinal);

        var panels = AllPanels(root).ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels.Where(p => p.TryGetProperty("targets", out _)))
        {
            Assert.Equal("${DS_PROMETHEUS}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(panel.TryGetProperty("gridPos", out _), $"panel {Title(panel)} has no gridPos");
        }
    }

    [Fact]
    public async Task Dashboard_Panels_SameAsTheGatewaysOwnDashboard()
    {
        // Arrange
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        var panels = AllPanels(dashboard.RootElement).Where(p => p.GetProperty("type").GetString() != "row").ToDictionary(Title, p => p);

        // Assert: each panel of the gateway's dashboard, with the type and the queries it needs.
        AssertPanel(panels, "Active sandboxes", "stat", "agentsphere_gateway_active_sandboxes");
        AssertPanel(panels, "Response time P50 / P95 / P99", "timeseries",
            OverallQuantiles + "{quantile=\"0.5\"}", OverallQuantiles + "{quantile=\"0.95\"}", OverallQuantiles + "{quantile=\"0.99\"}");
        AssertPanel(panels, "Response time P99 by operation", "timeseries", OperationQuantiles, "operation=~\"$operation\"");
        var byOperation = AssertPanel(panels, "Response time by operation: $operation", "timeseries",
            OperationQuantiles + "{quantile=\"0.5\", operation=~\"$operation\"}",
            OperationQuantiles + "{quantile=\"0.95\", operation=~\"$operation\"}",
            OperationQuantiles + "{quantile=\"0.99\", operation=~\"$operation\"}");
        Assert.Equal("operation", byOperation.GetProperty("repeat").GetString());
        AssertPanel(panels, "Error rate", "timeseries", "agentsphere_gateway_request_errors_total", "agentsphere_gateway_request_duration_seconds_count");
        AssertPanel(panels, "Request rate by operation", "timeseries", "sum by (operation) (rate(agentsphere_gateway_request_duration_seconds_count");
        AssertPanel(panels, "Operation mix", "piechart", "agentsphere_gateway_request_duration_seconds_count");
        AssertPanel(panels, "System CPU and memory", "timeseries", "agentsphere_gateway_system_cpu_percent", "agentsphere_gateway_system_memory_percent");
        AssertPanel(panels, "Gateway CPU", "timeseries", "agentsphere_gateway_process_cpu_percent");
        AssertPanel(panels, "Gateway memory", "timeseries", "agentsphere_gateway_process_working_set_bytes", "agentsphere_gateway_process_heap_bytes");
        AssertPanel(panels, "Backends", "table",
            "agentsphere_gateway_backend_healthy", "agentsphere_gateway_backend_score", "agentsphere_gateway_backend_cpu_ratio",
            "agentsphere_gateway_backend_memory_ratio", "agentsphere_gateway_backend_queue_length", "by (destination)");
        AssertPanel(panels, "Backend health", "state-timeline", "agentsphere_gateway_backend_healthy");
        AssertPanel(panels, "Cache hit ratio by operation", "timeseries", "agentsphere_gateway_cache_requests_total{result=\"hit\"", "sum by (operation)");
        AssertPanel(panels, "Admission rejections by policy", "timeseries", "agentsphere_gateway_admission_decisions_total{outcome=\"rejected\"}", "sum by (policy)");
        AssertPanel(panels, "Active alerts", "state-timeline", "max by (metric) (agentsphere_gateway_alert_level)");
    }

    [Fact]
    public async Task AlertsAndDashboard_MetricNames_AllExportedByTheGateway()
    {
        // Arrange: what a running gateway really exports, read from its /metrics after one proxied request.
        await using var gateway = await TestGateway.StartAsync();
        using (await Admission.AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "names-key"))
        {
        }

        var scraped = await gateway.Management.GetStringAsync("/metrics");
        var histograms = new HashSet<string>(StringComparer.Ordinal);
        var exported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in scraped.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            exported.Add(parts[2]);
            if (parts[3] == "histogram")
            {
                histograms.Add(parts[2]);
                exported.UnionWith([parts[2] + "_bucket", parts[2] + "_sum", parts[2] + "_count"]);
            }
        }

        var alerts = await File.ReadAllTextAsync(AlertsPath);
        var dashboard = await File.ReadAllTextAsync(DashboardPath);
        var recorded = ParseRules(alerts).Where(r => !r.IsAlert).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        // Act / Assert
        foreach (var (file, text) in new[] { ("alerts.yml", alerts), ("agentsphere-gateway.json", dashboard) })
        {
            var raw = RawMetricNameRegex().Matches(text).Select(m => m.Value).Distinct().ToList();
            Assert.NotEmpty(raw);
            Assert.All(raw, name => Assert.True(exported.Contains(name), $"{file} names {name}, which the gateway does not export"));

            // Recorded series (level:metric:operations) must be recorded in alerts.yml, from a metric the gateway exports.
            foreach (Match match in RecordedNameRegex().Matches(text))
            {
                Assert.True(recorded.Contains(match.Value), $"{file} reads {match.Value}, which alerts.yml does not record");
                var source = match.Groups["metric"].Value;
                Assert.True(exported.Contains(source) || histograms.Contains(source), $"{match.Value} is not built from an exported metric");
            }
        }
    }

    [Fact]
    public async Task Dashboard_Queries_ParseAsPromQl()
    {
        // Arrange: every panel query, with Grafana's variables filled in, as a recording rule promtool can check.
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        var queries = AllPanels(dashboard.RootElement)
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(queries);
        var rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (var i = 0; i < queries.Count; i++)
        {
            var expr = queries[i].Replace("$__range", "1h", StringComparison.Ordinal).Replace("$operation", ".*", StringComparison.Ordinal);
            rules.Append(CultureInfo.InvariantCulture, $"      - record: dashboard_query_{i}\n        expr: '{expr.Replace("'", "''", StringComparison.Ordinal)}'\n");
        }

        var directory = Directory.CreateTempSubdirectory("agentsphere-dashboard-queries-");
        try
        {
            var path = Path.Combine(directory.FullName, "queries.yml");
            await File.WriteAllTextAsync(path, rules.ToString());

            // Act
            var (exitCode, text) = await RunPromtoolAsync("check", "rules", path);

            // Assert
            Assert.True(exitCode == 0, $"a dashboard query does not parse (exit {exitCode}):\n{text}\n{rules}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static JsonElement AssertPanel(Dictionary<string, JsonElement> panels, string title, string type, params string[] queryFragments)
    {
        Assert.True(panels.TryGetValue(title, out var panel), $"no panel titled \"{title}\"; panels: {string.Join(", ", panels.Keys)}");
        Assert.Equal(type, panel.GetProperty("type").GetString());
        var queries = string.Join("\n", panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()));
        foreach (var fragment in queryFragments)
        {
            Assert.True(queries.Contains(fragment, StringComparison.Ordinal), $"panel \"{title}\" has no query with {fragment}:\n{queries}");
        }

        return panel;
    }

    private static IEnumerable<JsonElement> AllPanels(JsonElement root)
    {
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    private static string Title(JsonElement panel) => panel.GetProperty("title").GetString()!;

    /// <summary>Reads the rules of alerts.yml, which keeps one layout: <c>- alert:</c> or <c>- record:</c>, then <c>expr</c> (one line, or a <c>|</c> block), <c>for</c>, <c>labels</c> and <c>annotations</c> maps.</summary>
    private static List<Rule> ParseRules(string yaml)
    {
        var lines = yaml.Split('\n');
        var rules = new List<Rule>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = RuleStartRegex().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var indent = match.Groups["indent"].Length;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            Dictionary<string, string>? map = null;
            var j = i + 1;
            for (; j < lines.Length && (lines[j].Trim().Length == 0 || Indent(lines[j]) > indent); j++)
            {
                var line = lines[j];
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                {
                    continue;
                }

                var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
                var key = trimmed[..colon];
                var value = Unquote(trimmed[(colon + 1)..].Trim());
                if (Indent(line) == indent + 2)
                {
                    map = key switch { "labels" => labels, "annotations" => annotations, _ => null };
                    if (value == "|")
                    {
                        var block = new List<string>();
                        for (; j + 1 < lines.Length && Indent(lines[j + 1]) > indent + 2 && lines[j + 1].Trim().Length > 0; j++)
                        {
                            block.Add(lines[j + 1].Trim());
                        }

                        value = string.Join(" ", block);
                    }

                    fields[key] = value;
                }
                else
                {
                    map?.Add(key, value);
                }
            }

            rules.Add(new Rule(match.Groups["kind"].Value == "alert", Unquote(match.Groups["name"].Value.Trim()),
                fields.GetValueOrDefault("expr", ""), fields.GetValueOrDefault("for", ""), labels, annotations.GetValueOrDefault("description", "")));
            i = j - 1;
        }

        return rules;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private async Task<(int ExitCode, string Output)> RunPromtoolAsync(params string[] arguments)
    {
        var promtool = FindPromtool();
        var start = new ProcessStartInfo(promtool)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = new StringBuilder();
        var lockObject = new Lock();
        process.OutputDataReceived += (_, e) => { lock (lockObject) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (lockObject) { text.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(PromtoolTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"promtool {string.Join(' ', arguments)} timed out after {PromtoolTimeout}:\n{text}");
        }

        await process.WaitForExitAsync();
        lock (lockObject)
        {
            output.WriteLine($"promtool {string.Join(' ', arguments)} (exit {process.ExitCode}):\n{text}");
            return (process.ExitCode, text.ToString());
        }
    }

    private static string FindPromtool()
    {
        if (File.Exists(PromtoolPath))
        {
            return PromtoolPath;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "promtool.exe" : "promtool");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("promtool was not found (looked at /usr/bin/promtool and on PATH). Install Debian's prometheus package: "
            + "apt-get install --no-install-recommends prometheus (scripts/test.sh installs it when promtool is missing).");
        return "";
    }

    [GeneratedRegex(@"^(?<indent> *)- (?<kind>alert|record): (?<name>.+)$")]
    private static partial Regex RuleStartRegex();

    /// <summary>A metric name on its own, not the middle of a recorded series name (level:metric:operations).</summary>
    [GeneratedRegex(@"(?<![\w:])agentsphere_gateway_[a-z0-9_]+(?![\w:])")]
    private static partial Regex RawMetricNameRegex();

    [GeneratedRegex(@"\b[a-z_]+:(?<metric>agentsphere_gateway_[a-z0-9_]+):[a-z0-9_]+\b")]
    private static partial Regex RecordedNameRegex();

    [GeneratedRegex("operation=~?\"(?<names>[a-z|]+)\"")]
    private static partial Regex OperationMatcherRegex();

    private sealed record Rule(bool IsAlert, string Name, string Expr, string For, Dictionary<string, string> Labels, string Description)
    {
        public string? Label(string name) => Labels.GetValueOrDefault(name);
    }
}
