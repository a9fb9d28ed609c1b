using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Admission;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Observability;

/// <summary>Live percentiles, KPIs, request metrics and alerts of a real gateway in front of a real simulator.</summary>
public sealed class StatusEndpointTests
{
    [Fact]
    public async Task Status_AfterKnownLatencies_ReportsPercentilesMatchingWhatTheClientMeasured()
    {
        await using var gateway = await TestGateway.StartAsync();
        var simulator = gateway.Simulators[0];
        var measured = new List<double>();

        // Warm the client's connection and the gateway's pipeline on another operation: a cold first request spends a
        // second in JIT and connection set-up on both sides of the gateway's clock, which says nothing about percentiles.
        for (var i = 0; i < 3; i++)
        {
            using var warmUp = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes/warm-up", "status-key");
        }

        // A known spread: 20 ms, 60 ms and 150 ms of injected backend latency, sequentially so nothing queues.
        foreach (var (extra, count) in new[] { (20, 30), (60, 15), (150, 5) })
        {
            simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = extra });
            for (var i = 0; i < count; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "status-key");
                await response.Content.ReadAsByteArrayAsync();
                measured.Add(stopwatch.Elapsed.TotalMilliseconds);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        var status = JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/status")).RootElement;
        var list = status.GetProperty("kpis").GetProperty("operations").EnumerateArray().Single(o => o.GetProperty("operation").GetString() == "list");

        Assert.Equal(50, list.GetProperty("requests").GetInt64());
        Assert.Equal(0, list.GetProperty("errors").GetInt64());
        measured.Sort();
        foreach (var (name, quantile) in new[] { ("p50Milliseconds", 0.50), ("p95Milliseconds", 0.95), ("p99Milliseconds", 0.99) })
        {
            // The gateway's clock starts after the client's and stops before it: it sees the same request minus the
            // loopback hop. Tolerance: 10 % or 5 ms, the bound.
            var client = Quantile(measured, quantile);
            var reported = list.GetProperty(name).GetDouble();
            Assert.True(Math.Abs(reported - client) <= Math.Max(5, 0.1 * client), $"{name}: gateway {reported:F1} ms, client {client:F1} ms");
        }

        Assert.Equal(100, status.GetProperty("kpis").GetProperty("successRatePercent").GetDouble());
        Assert.True(status.GetProperty("kpis").GetProperty("requestsPerSecond").GetDouble() > 0);
        Assert.Equal("local", status.GetProperty("sharedState").GetString());
        Assert.Equal("sim-1", status.GetProperty("backends")[0].GetProperty("destinationId").GetString());
    }

    [Fact]
    public async Task Metrics_AfterTraffic_HaveRequestHistogramsWithOperationRouteStatusAndDestinationButNoKey()
    {
        await using var gateway = await TestGateway.StartAsync();
        using (await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "labels-secret-key"))
        using (await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes/not-there", "labels-secret-key"))
        {
        }

        var text = await gateway.Management.GetStringAsync("/metrics");

        Assert.Contains("agentsphere_gateway_request_duration_seconds_count{operation=\"list\",route=\"list\",status_class=\"2xx\",destination=\"sim-1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_request_duration_seconds_count{operation=\"connect\",route=\"get\",status_class=\"4xx\",destination=\"sim-1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_request_duration_seconds_bucket{operation=\"list\",route=\"list\",status_class=\"2xx\",destination=\"sim-1\",le=\"0.005\"}", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_request_duration_seconds_bucket{operation=\"list\",route=\"list\",status_class=\"2xx\",destination=\"sim-1\",le=\"30\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_requests_in_flight 0", text, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_backend_healthy{destination=\"sim-1\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("labels-secret-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-there", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_WithAThresholdTheGatewayPasses_FireAndShowInTheApiAndMetrics()
    {
        // Any running gateway uses more than 3 MB: with these thresholds gateway memory is an emergency at once.
        await using var gateway = await TestGateway.StartAsync(extraArgs:
        [
            "--Alerts:EvaluationInterval=00:00:01",
            "--Alerts:GatewayMemory:Warning=1", "--Alerts:GatewayMemory:Critical=2", "--Alerts:GatewayMemory:Emergency=3",
        ]);

        var alerts = await Eventually.ReturnsAsync(
            async () => JsonDocument.Parse(await gateway.Management.GetStringAsync("/admin/alerts")).RootElement,
            body => body.GetProperty("active").GetArrayLength() > 0,
            "an active alert");
        var metrics = await gateway.Management.GetStringAsync("/metrics");

        var active = alerts.GetProperty("active").EnumerateArray().Single(a => a.GetProperty("metric").GetString() == "GatewayMemory");
        Assert.Equal("Emergency", active.GetProperty("level").GetString());
        Assert.Contains(alerts.GetProperty("history").EnumerateArray(), h => h.GetProperty("metric").GetString() == "GatewayMemory");
        Assert.Contains("agentsphere_gateway_alert_level{metric=\"gateway_memory\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("agentsphere_gateway_alert_level{metric=\"response_time\"} 0", metrics, StringComparison.Ordinal);
    }

    private static double Quantile(List<double> sorted, double quantile)
    {
        // The nearest-rank definition, as the gateway's histogram uses.
        var rank = (int)Math.Ceiling(quantile * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
