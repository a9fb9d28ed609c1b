using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentSphere.Gateway.Tests.Resilience;

/// <summary>
/// An open-loop driver for the fault tests, with the load generator's arrival model: requests start on an evenly spaced schedule
/// whether or not earlier ones finished, over a fixed set of callers, and every outcome is recorded per operation. Creates add
/// their sandboxes to a pool that later reads and deletes use.
/// </summary>
internal sealed class SustainedLoad(HttpClient client, int callers = 20)
{
    private readonly ConcurrentBag<Outcome> _outcomes = [];
    private readonly ConcurrentQueue<(string Caller, string Id)> _sandboxes = new();
    private readonly ConcurrentBag<Task> _inFlight = [];

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes;

    /// <summary>Runs <paramref name="duration"/> at <paramref name="rate"/> requests per second; <paramref name="mix"/> picks the operation of the i-th request; <paramref name="during"/> runs alongside (to inject a fault).</summary>
    public async Task RunAsync(double rate, TimeSpan duration, Func<int, string> mix, Func<Task>? during = null)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        var total = (int)(duration.TotalSeconds * rate);
        var clock = Stopwatch.StartNew();
        var fault = during?.Invoke() ?? Task.CompletedTask;
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            _inFlight.Add(SendAsync(mix(i), $"load-key-{i % callers}", clock.Elapsed));
        }

        await fault;
        await Task.WhenAll(_inFlight);
    }

    public IEnumerable<Outcome> Of(string operation) => _outcomes.Where(o => o.Operation == operation);

    /// <summary>The nearest-rank percentile of <paramref name="operation"/>'s latencies, in milliseconds.</summary>
    public double Percentile(string operation, double quantile)
    {
        var sorted = Of(operation).Select(o => o.Milliseconds).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private async Task SendAsync(string operation, string caller, TimeSpan started)
    {
        HttpRequestMessage request;
        switch (operation)
        {
            case "deploy":
                request = new HttpRequestMessage(HttpMethod.Post, "/sandboxes")
                {
                    Content = new StringContent("""{"templateID":"base","timeout":600,"metadata":{"userId":"load"}}""", Encoding.UTF8, "application/json"),
                };
                break;
            case "find":
                request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes?metadata=userId%3Dload");
                break;
            case "connect" or "monitor" when _sandboxes.TryPeek(out var sandbox):
                request = new HttpRequestMessage(HttpMethod.Get, operation == "connect" ? $"/sandboxes/{sandbox.Id}" : $"/sandboxes/{sandbox.Id}/metrics");
                caller = sandbox.Caller;
                break;
            default:
                operation = "list";
                request = new HttpRequestMessage(HttpMethod.Get, "/sandboxes");
                break;
        }

        request.Headers.Add("X-API-Key", caller);
        var watch = Stopwatch.StartNew();
        int status;
        string? problem = null;
        string? destination = null;
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            status = (int)response.StatusCode;
            destination = response.Headers.TryGetValues("X-AgentSphere-Destination", out var names) ? names.FirstOrDefault() : null;
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                problem = ProblemType(body);
            }

            if (operation == "deploy" && response.StatusCode == HttpStatusCode.Created)
            {
                _sandboxes.Enqueue((caller, JsonDocument.Parse(body).RootElement.GetProperty("sandboxID").GetString()!));
            }
        }
        catch (HttpRequestException e)
        {
            status = 0;
            problem = e.HttpRequestError.ToString();
        }
        finally
        {
            request.Dispose();
        }

        _outcomes.Add(new Outcome(operation, status, watch.Elapsed.TotalMilliseconds, problem) { Started = started, Destination = destination });
    }

    /// <summary>The last segment of a problem's <c>type</c> (which gateway rule answered), or its title.</summary>
    private static string? ProblemType(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            return type is { Length: > 0 } ? type[(type.LastIndexOfAny([':', '/']) + 1)..] : root.TryGetProperty("title", out var title) ? title.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One request's result; <paramref name="Problem"/> names the problem+json type of a gateway answer, or the transport error.</summary>
    internal sealed record Outcome(string Operation, int Status, double Milliseconds, string? Problem = null)
    {
        /// <summary>When the request was sent, from the start of the run.</summary>
        public TimeSpan Started { get; init; }

        /// <summary>The backend that answered, from the gateway's diagnostic header, if any.</summary>
        public string? Destination { get; init; }

        public bool Failed => Status is 0 or >= 500;
    }
}
