using System.Text;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>
/// Well-framed HTTP requests with random content: AgentSphere's paths with real, foreign and absurd sandbox ids, random methods,
/// queries with odd encodings, headers with random values (idempotency keys, priorities, forwarding headers) and bodies from a
/// valid create to malformed, mistyped and deeply nested JSON.
/// </summary>
internal static class RandomRequests
{
    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND"];

    private static readonly string[] Suffixes = ["", "", "/connect", "/timeout", "/refreshes", "/pause", "/resume", "/metrics", "/logs", "/../../admin/status", "/x/y/z"];

    private static readonly string[] Bodies =
    [
        """{"templateID":"base","timeout":60,"metadata":{"owner":"fuzz"}}""",
        """{"templateID":123,"timeout":"soon","metadata":[1,2,3]}""",
        """{"templateID":"base","timeout":-5}""",
        """{"templateID":"base","timeout":1e308,"autoPause":"maybe"}""",
        """{"templateID":""",
        "null",
        "[]",
        "\"just a string\"",
        """{"timeout":60,"envVars":{"A":"\u0000\ud800"}}""",
        "not json at all",
    ];

    /// <summary>A random request for <paramref name="apiKey"/> (null: none); <paramref name="sandboxIds"/> are ids it may name, its own or anyone's.</summary>
    public static HttpRequestMessage Create(Random random, string? apiKey, IReadOnlyList<string> sandboxIds)
    {
        var method = new HttpMethod(Methods[random.Next(Methods.Length)]);
        var path = random.Next(10) switch
        {
            0 or 1 or 2 => random.Next(2) == 0 ? "/sandboxes" : "/v2/sandboxes",
            3 => "/sandboxes/metrics",
            4 => "/health",
            5 => "/" + string.Join('/', Enumerable.Range(0, random.Next(1, 6)).Select(_ => RandomSegment(random))),
            _ => "/sandboxes/" + SandboxId(random, sandboxIds) + Suffixes[random.Next(Suffixes.Length)],
        };
        var query = random.Next(4) switch
        {
            0 => string.Empty,
            1 => "?metadata=" + Uri.EscapeDataString("owner=" + RandomSegment(random)),
            2 => "?metadata=%FF%FE%C3%28&state=running&state=paused&limit=" + random.Next(-10, 1000),
            _ => "?" + string.Join('&', Enumerable.Range(0, random.Next(1, 8)).Select(_ => RandomSegment(random) + "=" + RandomSegment(random))),
        };

        var request = new HttpRequestMessage(method, path + query);
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", apiKey);
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", random.Next(3) == 0 ? new string('k', random.Next(200, 2000)) : "fuzz-" + random.Next(50));
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-AgentSphere-Priority", random.Next(3) switch { 0 => "critical", 1 => "urgent!", _ => RandomSegment(random) });
        }

        if (random.Next(5) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}, {RandomSegment(random)}");
            request.Headers.TryAddWithoutValidation("Forwarded", "for=\"[::1]\";proto=https;host=" + RandomSegment(random));
        }

        if (random.Next(5) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", random.Next(2) == 0 ? "application/xml" : RandomSegment(random) + "/" + RandomSegment(random));
        }

        if (random.Next(6) == 0)
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", random.Next(2) == 0 ? "no-cache" : "max-age=" + RandomSegment(random));
        }

        if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch || random.Next(10) == 0)
        {
            var body = random.Next(8) switch
            {
                0 => new string('[', 10_000) + new string(']', 10_000),
                1 => "{\"templateID\":\"" + new string('t', random.Next(10_000, 400_000)) + "\"}",
                _ => Bodies[random.Next(Bodies.Length)],
            };
            request.Content = new StringContent(body, Encoding.UTF8, random.Next(5) == 0 ? "text/plain" : "application/json");
        }

        return request;
    }

    private static string SandboxId(Random random, IReadOnlyList<string> sandboxIds) => random.Next(6) switch
    {
        0 or 1 or 2 when sandboxIds.Count > 0 => sandboxIds[random.Next(sandboxIds.Count)],
        3 => new string('i', random.Next(100, 3000)),
        4 => "%2e%2e%2f" + RandomSegment(random),
        _ => RandomSegment(random),
    };

    private static string RandomSegment(Random random)
    {
        const string Characters = "abcdefghijklmnopqrstuvwxyz0123456789-._~%20é漢";
        var length = random.Next(1, 24);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(Characters[random.Next(Characters.Length)]);
        }

        return Uri.EscapeDataString(text.ToString());
    }
}
