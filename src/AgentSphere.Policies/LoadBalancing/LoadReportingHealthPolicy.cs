using System.Text.Json;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Policies.LoadBalancing;

/// <summary>Active health that marks a destination unhealthy after consecutive failed probes and feeds the probe's load report (header and <c>GET /health</c> body) to the scored policy.</summary>
/// <remarks>
/// YARP disposes probe responses as soon as this policy returns, with their bodies unread. The body is detached (an
/// empty content takes its place for YARP to dispose) and parsed asynchronously with a deadline, so a slow backend
/// never blocks the health monitor. A destination that comes back from unhealthy begins a slow start.
/// </remarks>
internal sealed class LoadReportingHealthPolicy(
    DestinationSignalsStore store,
    IDestinationHealthUpdater healthUpdater,
    IOptionsMonitor<ScoredLoadBalancingOptions> options) : IActiveHealthCheckPolicy
{
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly TimeSpan BodyDeadline = TimeSpan.FromSeconds(2);

    public string Name => AgentSphereLoadBalancingPolicies.ActiveHealth;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        if (probingResults.Count == 0)
        {
            return;
        }

        var threshold = options.CurrentValue.ConsecutiveProbeFailures;
        var now = store.Now;
        var states = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var destination = probingResults[i].Destination;
            var response = probingResults[i].Response;
            var signals = store.Get(destination);
            var previous = destination.Health.Active;
            DestinationHealth next;
            if (response is { IsSuccessStatusCode: true })
            {
                signals.ResetProbeFailures();
                next = DestinationHealth.Healthy;
                if (previous == DestinationHealth.Unhealthy)
                {
                    signals.MarkArrived(now);
                }

                // The circuit (passive ejection) closes on the first successful probe: the half-open test is the probe.
                if (destination.Health.Passive == DestinationHealth.Unhealthy)
                {
                    signals.MarkArrived(now);
                    healthUpdater.SetPassive(cluster, destination, DestinationHealth.Healthy, TimeSpan.Zero);
                }

                if (response.Headers.TryGetValues(AgentSphereLoadBalancingPolicies.LoadHeaderName, out var values)
                    && LoadReport.TryParseHeader(values.FirstOrDefault(), out var report))
                {
                    signals.RecordReport(report, now);
                }

                var content = response.Content;
                response.Content = new ByteArrayContent([]);
                _ = ReadBodyReportAsync(content, signals);
            }
            else
            {
                next = signals.IncrementProbeFailures() >= threshold ? DestinationHealth.Unhealthy : previous;
            }

            states[i] = new NewActiveDestinationHealth(destination, next);
        }

        healthUpdater.SetActive(cluster, states);
    }

    /// <summary>Parses <c>{"cpu":0.4,"memory":0.3,"queueLength":2}</c> (fractions 0..1); anything else is ignored.</summary>
    internal static bool TryParseBody(ReadOnlySpan<byte> json, out LoadReport report) => TryParseBody(json, out report, out _);

    /// <summary>As <see cref="TryParseBody(ReadOnlySpan{byte}, out LoadReport)"/>, also reading the optional <c>activeSandboxes</c> count.</summary>
    internal static bool TryParseBody(ReadOnlySpan<byte> json, out LoadReport report, out int? activeSandboxes)
    {
        report = default;
        activeSandboxes = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            double? cpu = null;
            double? memory = null;
            int? queue = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.Number)
                {
                    switch (name)
                    {
                        case "cpu" when reader.TryGetDouble(out var c) && c is >= 0 and <= 1:
                            cpu = c;
                            break;
                        case "memory" when reader.TryGetDouble(out var m) && m is >= 0 and <= 1:
                            memory = m;
                            break;
                        case "queueLength" when reader.TryGetInt32(out var q) && q >= 0:
                            queue = q;
                            break;
                        case "activeSandboxes" when reader.TryGetInt32(out var a) && a >= 0:
                            activeSandboxes = a;
                            break;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (cpu is null || memory is null || queue is null)
            {
                return false;
            }

            report = new LoadReport(cpu.Value, memory.Value, queue.Value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task ReadBodyReportAsync(HttpContent content, DestinationSignals signals)
    {
        using (content)
        {
            try
            {
                if (content.Headers.ContentLength is > MaxBodyBytes)
                {
                    return;
                }

                using var deadline = new CancellationTokenSource(BodyDeadline, store.TimeProvider);
                var stream = await content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var buffer = new byte[MaxBodyBytes];
                    var length = 0;
                    int read;
                    while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), deadline.Token).ConfigureAwait(false)) > 0)
                    {
                        length += read;
                    }

                    if (TryParseBody(buffer.AsSpan(0, length), out var report, out var activeSandboxes))
                    {
                        signals.RecordReport(report, store.Now);
                        signals.RecordActiveSandboxes(activeSandboxes);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException)
            {
                // A probe body that cannot be read in time leaves the header's report (if any) in force.
            }
        }
    }
}
