using System.Text;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>
/// Requests no HTTP client would send, written to a raw socket: garbage, broken request lines and headers, invalid UTF-8, oversized
/// and truncated bodies, smuggling attempts. Each case varies with the suite's seeded random source, so rounds differ but a seed
/// replays them.
/// </summary>
internal static class MalformedRequests
{
    /// <summary>One raw request: a name for the tally, its bytes, and whether the client then vanishes (shuts its sending side).</summary>
    internal sealed record Case(string Name, byte[] Payload, bool ClientVanishes = false);

    /// <summary>What the gateway answered: the status of its first response line, or 0 when it closed without one.</summary>
    internal sealed record Answer(int Status, string Text, bool TimedOut);

    public static IEnumerable<Case> Generate(Random random, string apiKey)
    {
        string Key() => "X-API-Key: " + apiKey + "\r\n";
        byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
        byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];
        string RandomToken(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(0x21, 0x7F))]);
        var invalidUtf8 = new byte[][] { [0xC3, 0x28], [0xFF, 0xFE], [0xE2, 0x82], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80] };
        byte[] BadUtf8() => invalidUtf8[random.Next(invalidUtf8.Length)];

        var garbage = new byte[random.Next(1, 4096)];
        random.NextBytes(garbage);
        // Without a line end these are an unfinished request line, which the gateway waits for until its header timeout (the
        // slow-client tests cover that): this client sends them and leaves.
        yield return new("random bytes", garbage, ClientVanishes: true);
        yield return new("random printable request line", Ascii(RandomToken(random.Next(1, 300)) + "\r\n\r\n"));
        yield return new("request line without version", Ascii("GET /sandboxes\r\n\r\n"));
        yield return new("unknown HTTP version", Ascii("GET /sandboxes HTTP/9.9\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("space inside the method", Ascii("GE T /sandboxes HTTP/1.1\r\nHost: x\r\n\r\n"));
        yield return new("request target without slash", Ascii("GET sandboxes HTTP/1.1\r\nHost: x\r\n\r\n"));
        yield return new("header without colon", Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\nX-API-Key " + apiKey + "\r\n\r\n"));
        yield return new("space before header colon", Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\nX-API-Key : " + apiKey + "\r\n\r\n"));
        yield return new("NUL in header value", Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "X-Trace: a\0b\r\n\r\n"));
        yield return new("control characters in the path", Ascii("GET /sandboxes/\u0001\u0007\u001b HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("invalid UTF-8 in the API key", Join(Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\nX-API-Key: k"), BadUtf8(), Ascii("\r\n\r\n")));
        yield return new("invalid UTF-8 in a header value", Join(Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "Accept: text/"), BadUtf8(), Ascii("\r\n\r\n")));
        yield return new("invalid UTF-8 in a header name", Join(Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "X-"), BadUtf8(), Ascii(": 1\r\n\r\n")));
        yield return new("invalid UTF-8 in the path", Join(Ascii("GET /sandboxes/"), BadUtf8(), Ascii(" HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n")));
        yield return new("invalid UTF-8 in the query", Join(Ascii("GET /sandboxes?metadata=owner%3D"), BadUtf8(), Ascii(" HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n")));
        yield return new("percent-encoded invalid UTF-8 in the query", Ascii("GET /sandboxes?metadata=owner%3D%C3%28%FF%FE&state=%ED%A0%80 HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("percent-encoded invalid UTF-8 in the path", Ascii("GET /sandboxes/%C3%28%FF HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("broken percent-encoding", Ascii("GET /sandboxes/%zz%?metadata=%%%3 HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("encoded path traversal", Ascii("GET /sandboxes/..%2F..%2Fadmin%2Fstatus HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("very long URL", Ascii("GET /sandboxes/" + new string('a', random.Next(20_000, 100_000)) + " HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("very long query", Ascii("GET /sandboxes?metadata=" + new string('q', random.Next(9_000, 40_000)) + " HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));
        yield return new("too many headers", Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + string.Concat(Enumerable.Range(0, random.Next(150, 600)).Select(i => $"X-H{i}: {i}\r\n")) + "\r\n"));
        yield return new("one huge header", Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "X-Big: " + new string('b', random.Next(40_000, 120_000)) + "\r\n\r\n"));
        yield return new("missing Host (HTTP/1.1)", Ascii("GET /sandboxes HTTP/1.1\r\n" + Key() + "\r\n"));
        yield return new("two Host headers", Ascii("GET /sandboxes HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + Key() + "\r\n"));
        yield return new("obsolete header folding", Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "X-Folded: a\r\n b\r\n\r\n"));
        yield return new("bare LF line endings", Ascii("GET /sandboxes HTTP/1.1\nHost: x\n" + Key().TrimEnd('\r', '\n') + "\n\n"));
        yield return new("HTTP/1.0 without Host", Ascii("GET /sandboxes HTTP/1.0\r\n" + Key() + "\r\n"));
        yield return new("absolute-form URI naming another host", Ascii("GET http://example.com/sandboxes HTTP/1.1\r\nHost: example.com\r\n" + Key() + "\r\n"));
        yield return new("CONNECT tunnel", Ascii("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n" + Key() + "\r\n"));
        yield return new("OPTIONS asterisk", Ascii("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"));
        yield return new("HTTP/2 preface on HTTP/1.1", Ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        yield return new("unknown method", Ascii(RandomMethod(random) + " /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"));

        const string Create = """{"templateID":"base","timeout":60,"metadata":{"owner":"fuzz"}}""";
        var truncatedLength = random.Next(200, 5000);
        yield return new("truncated body", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Type: application/json\r\nContent-Length: {truncatedLength}\r\n\r\n{Create[..Math.Min(Create.Length, random.Next(1, 20))]}"), ClientVanishes: true);
        var oversized = random.Next(2, 6) * 1024 * 1024;
        yield return new("oversized body", Join(
            Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Type: application/json\r\nContent-Length: {oversized}\r\n\r\n"),
            Encoding.ASCII.GetBytes(new string(' ', oversized))));
        yield return new("oversized chunked body", Join(
            Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Ascii(string.Concat(Enumerable.Repeat("100000\r\n" + new string('x', 0x100000) + "\r\n", random.Next(2, 5))) + "0\r\n\r\n")));
        yield return new("negative Content-Length", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Length: -{random.Next(1, 100)}\r\n\r\n{Create}"));
        yield return new("non-numeric Content-Length", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Length: {RandomToken(5)}\r\n\r\n{Create}"));
        yield return new("conflicting Content-Lengths", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Length: {Create.Length}\r\nContent-Length: 3\r\n\r\n{Create}"));
        yield return new("Content-Length with chunked (smuggling)", Ascii(
            $"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Type: application/json\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /sandboxes/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"));
        yield return new("bad chunk size", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Transfer-Encoding: chunked\r\n\r\nzz\r\n{Create}\r\n0\r\n\r\n"));
        yield return new("truncated chunked body", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Transfer-Encoding: chunked\r\n\r\n{Create.Length:x}\r\n{Create}\r\n"), ClientVanishes: true);
        yield return new("unknown transfer coding", Ascii($"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Transfer-Encoding: gzip, chunked, {RandomToken(4)}\r\n\r\n0\r\n\r\n"));
        yield return new("deeply nested JSON", Ascii(
            $"POST /sandboxes HTTP/1.1\r\nHost: x\r\n{Key()}Content-Type: application/json\r\nContent-Length: {2 * 50_000}\r\n\r\n" + new string('[', 50_000) + new string(']', 50_000)));
        yield return new("pipelined valid request then garbage", Join(
            Ascii("GET /sandboxes HTTP/1.1\r\nHost: x\r\n" + Key() + "\r\n"), garbage[..Math.Min(garbage.Length, 64)]));
    }

    private static string RandomMethod(Random random)
    {
        const string Token = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&'*+-.^_`|~";
        return new string([.. Enumerable.Range(0, random.Next(1, 24)).Select(_ => Token[random.Next(Token.Length)])]);
    }

    /// <summary>
    /// Sends a case and reads the gateway's first answer: its status, or 0 when it closed the connection without one; timed out when
    /// no whole answer came in time. Kestrel treats a client's half-close as the end of the connection, so only the cases where the
    /// client vanishes shut the sending side.
    /// </summary>
    public static async Task<Answer> SendAsync(Uri baseUri, Case request, TimeSpan timeout)
    {
        await using var connection = await RawHttpConnection.OpenAsync(baseUri);
        try
        {
            await connection.SendAsync(request.Payload);
            if (request.ClientVanishes)
            {
                connection.ShutdownSend();
            }
        }
        catch (IOException)
        {
            // The gateway may answer and close before a large payload is all sent (413, 431): read what it said.
        }

        try
        {
            var response = await connection.ReadResponseAsync(timeout);
            return new Answer(response.Status, response.Text, TimedOut: false);
        }
        catch (OperationCanceledException)
        {
            return new Answer(0, string.Empty, TimedOut: true);
        }
        catch (IOException)
        {
            // Closed or reset without an answer.
            return new Answer(0, string.Empty, TimedOut: false);
        }
    }
}
