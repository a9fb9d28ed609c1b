using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Gateway.Tests.Resilience;
using AgentSphere.Simulator;
using Xunit.Abstractions;

namespace AgentSphere.Gateway.Tests.Hardening;

/// <summary>
/// The fuzz and abuse suite: the gateway runs as its own process (so its memory and logs are its own) in front of two real
/// simulators, and takes rounds of malformed raw requests, random well-framed requests and a flood from one caller while another
/// caller works normally. It must never crash or answer 500, never let the flood cost the other caller its success or its latency
/// targets, never show one caller another's data or secrets, and hold its memory. Bounded (about a minute), loopback only; the seed
/// is printed and <c>ABUSE_SEED</c> replays it.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class AbuseSuiteTests(ITestOutputHelper output)
{
    private const int Rounds = 4;
    private const int RandomRequestsPerRound = 250;
    private static readonly TimeSpan FloodLength = TimeSpan.FromSeconds(5);

    // Memory allowed to grow between the end of the first round (heap and caches warm) and the end of the last.
    private const long MaxGrowthBytes = 64L * 1024 * 1024;

    // Seed table 1's P99 targets, which the well-behaved caller must keep under the flood.
    private static readonly Dictionary<string, double> TargetMs = new(StringComparer.Ordinal)
    {
        ["list"] = 1000, ["find"] = 1000, ["connect"] = 500, ["monitor"] = 2000, ["deploy"] = 30_000, ["cleanup"] = 5000,
    };

    [Fact]
    public async Task HostileTraffic_NoCrashNoLeakNoCrossTenantRead_AndTheVictimKeepsItsTargets()
    {
        var seed = Environment.GetEnvironmentVariable("ABUSE_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var shared = new SimulatorSharedState(seed: 7);
        var fleet = new List<SimulatorServer>();
        for (var i = 0; i < 2; i++)
        {
            fleet.Add(await SimulatorServer.StartAsync(new SimulatorOptions { Name = $"sim-{i + 1}", LatencyScale = 0.05, Capacity = 1000, Seed = 60 + i }, shared));
        }

        using var config = YarpConfigFile.Create(fleet.Select(s => (s.Name, s.BaseAddress)));
        var adminToken = "abuse-admin-" + Convert.ToHexStringLower(RandomBytes(random, 16));
        var tenants = new Tenants(random);
        var watch = Stopwatch.StartNew();
        var gateway = await GatewayProcess.StartAsync([$"--Gateway:YarpConfigPath={config.FilePath}", $"--Management:AdminToken={adminToken}"]);
        try
        {
            using var client = new HttpClient { BaseAddress = gateway.PublicUri, Timeout = TimeSpan.FromSeconds(30) };
            var tally = new Tally(tenants, adminToken);
            await tenants.SeedAsync(client, tally);

            var rss = new List<long>();
            for (var round = 1; round <= Rounds; round++)
            {
                await MalformedAsync(gateway, random, tenants, tally);
                await RandomAsync(client, random, tenants, tally);
                await FloodAsync(client, tenants, tally);
                Assert.False(gateway.HasExited, $"the gateway exited in round {round}:\n{gateway.Output}");
                using var health = await new HttpClient().GetAsync(new Uri(gateway.ManagementUri, "healthz"));
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                rss.Add(gateway.ResidentBytes());
            }

            using var metricsClient = new HttpClient();
            var metrics = await metricsClient.GetStringAsync(new Uri(gateway.ManagementUri, "metrics"));
            var log = gateway.Output;
            var secretsInLog = tally.AllSecrets().Count(s => log.Contains(s, StringComparison.Ordinal));
            var secretsInMetrics = tally.AllSecrets().Count(s => metrics.Contains(s, StringComparison.Ordinal));
            var growth = rss[^1] - rss[0];

            output.WriteLine($"abuse suite: seed {seed} (ABUSE_SEED={seed} replays it), {Rounds} rounds in {watch.Elapsed.TotalSeconds:F0} s");
            tally.Report(output);
            output.WriteLine($"crashes: 0 (the process never exited; /healthz answered 200 after every round)");
            output.WriteLine($"resident memory after each round: {string.Join(", ", rss.Select(b => $"{b / 1048576.0:F1} MB"))}; growth after round 1: {growth / 1048576.0:+0.0;-0.0} MB (limit {MaxGrowthBytes / 1048576} MB)");
            output.WriteLine($"secrets (API keys, admin token) in the gateway's log: {secretsInLog}; in /metrics: {secretsInMetrics}");

            Assert.Empty(tally.ServerErrors);
            Assert.Empty(tally.Hangs);
            Assert.Empty(tally.CrossTenantReads);
            Assert.Empty(tally.EchoedSecrets);
            Assert.Empty(tally.VictimFailures);
            foreach (var (operation, p99) in tally.VictimP99())
            {
                Assert.True(p99 <= TargetMs[operation], $"the flooded-alongside caller's {operation} P99 {p99:F0} ms missed the seed's {TargetMs[operation]} ms");
            }

            Assert.Equal(0, secretsInLog);
            Assert.Equal(0, secretsInMetrics);
            Assert.True(growth < MaxGrowthBytes, $"resident memory grew {growth / 1048576.0:F1} MB from round 1 to round {Rounds}");
        }
        finally
        {
            await gateway.DisposeAsync();
            foreach (var simulator in fleet)
            {
                await simulator.DisposeAsync();
            }
        }
    }

    private static async Task MalformedAsync(GatewayProcess gateway, Random random, Tenants tenants, Tally tally)
    {
        foreach (var request in MalformedRequests.Generate(random, tenants.Fuzzer.ApiKey!))
        {
            var answer = await MalformedRequests.SendAsync(gateway.PublicUri, request, TimeSpan.FromSeconds(15));
            tally.Malformed(request.Name, answer, tenants.Fuzzer);
        }

        // The management listener takes garbage and wrong tokens too.
        foreach (var request in MalformedRequests.Generate(random, "wrong-token").Take(12))
        {
            var answer = await MalformedRequests.SendAsync(gateway.ManagementUri, request, TimeSpan.FromSeconds(15));
            tally.Malformed("management: " + request.Name, answer, tenants.Fuzzer);
        }
    }

    private static async Task RandomAsync(HttpClient client, Random random, Tenants tenants, Tally tally)
    {
        // Drawn up front from the seeded source, so a seed replays the same requests whatever the interleaving.
        var requests = new List<(HttpRequestMessage Request, Tenant Caller)>();
        for (var i = 0; i < RandomRequestsPerRound; i++)
        {
            var caller = random.Next(10) switch
            {
                < 3 => tenants.Flooder,
                < 6 => tenants.Fuzzer,
                < 7 => Tenant.Anonymous,
                _ => tenants.NewStranger(random),
            };
            requests.Add((RandomRequests.Create(random, caller.ApiKey, tenants.AllSandboxIds), caller));
        }

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, cancel) =>
        {
            using var request = item.Request;
            var method = request.Method.Method;
            try
            {
                using var response = await client.SendAsync(request, cancel);
                var text = Describe(response) + await response.Content.ReadAsStringAsync(cancel);
                tally.Random(method, (int)response.StatusCode, text, item.Caller);
            }
            catch (HttpRequestException e)
            {
                tally.Random(method, 0, e.HttpRequestError.ToString(), item.Caller);
            }
        });
    }

    private static async Task FloodAsync(HttpClient client, Tenants tenants, Tally tally)
    {
        using var stop = new CancellationTokenSource(FloodLength);
        var flooder = tenants.Flooder;
        var flood = Enumerable.Range(0, 24).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i++)
            {
                var (operation, request) = (i % 20) switch
                {
                    0 => ("deploy", Create(flooder)),
                    < 8 => ("list", new HttpRequestMessage(HttpMethod.Get, "/sandboxes")),
                    < 13 => ("find", new HttpRequestMessage(HttpMethod.Get, "/sandboxes?metadata=" + Uri.EscapeDataString("owner=" + flooder.Marker))),
                    _ => ("connect", new HttpRequestMessage(HttpMethod.Get, "/sandboxes/" + flooder.SandboxIds[i % flooder.SandboxIds.Count])),
                };
                await SendAsync(client, flooder, operation, request, tally, victim: false);
            }
        }));

        var victim = tenants.Victim;
        var work = Task.Run(async () =>
        {
            var created = await SendAsync(client, victim, "deploy", Create(victim), tally, victim: true);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var (operation, request) = (i % 4) switch
                {
                    0 => ("list", new HttpRequestMessage(HttpMethod.Get, "/sandboxes")),
                    1 => ("find", new HttpRequestMessage(HttpMethod.Get, "/sandboxes?metadata=" + Uri.EscapeDataString("owner=" + victim.Marker))),
                    2 => ("connect", new HttpRequestMessage(HttpMethod.Get, "/sandboxes/" + victim.SandboxIds[i % victim.SandboxIds.Count])),
                    _ => ("monitor", new HttpRequestMessage(HttpMethod.Get, $"/sandboxes/{victim.SandboxIds[i % victim.SandboxIds.Count]}/metrics")),
                };
                await SendAsync(client, victim, operation, request, tally, victim: true);
                await Task.Delay(50);
            }

            if (created is { } id)
            {
                await SendAsync(client, victim, "cleanup", new HttpRequestMessage(HttpMethod.Delete, "/sandboxes/" + id), tally, victim: true);
            }
        });

        await Task.WhenAll([.. flood, work]);
    }

    private static HttpRequestMessage Create(Tenant caller) => new(HttpMethod.Post, "/sandboxes")
    {
        Content = new StringContent($$$"""{"templateID":"base","timeout":300,"metadata":{"owner":"{{{caller.Marker}}}"}}""", Encoding.UTF8, "application/json"),
    };

    /// <summary>Sends one of a tenant's own requests; returns the id of a sandbox it created.</summary>
    private static async Task<string?> SendAsync(HttpClient client, Tenant caller, string operation, HttpRequestMessage request, Tally tally, bool victim)
    {
        request.Headers.Add("X-API-Key", caller.ApiKey);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            tally.Own(caller, operation, (int)response.StatusCode, watch.Elapsed.TotalMilliseconds, Describe(response) + body, victim);
            return operation == "deploy" && response.StatusCode == HttpStatusCode.Created ? caller.Remember(body) : null;
        }
        catch (HttpRequestException e)
        {
            tally.Own(caller, operation, 0, watch.Elapsed.TotalMilliseconds, e.Message, victim);
            return null;
        }
        finally
        {
            request.Dispose();
        }
    }

    private static string Describe(HttpResponseMessage response) =>
        string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(", ", h.Value))) + "\n\n";

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A caller: its API key, a marker in its sandboxes' metadata, and the sandboxes and access tokens it owns.</summary>
    private sealed class Tenant(string name, string? apiKey, string marker)
    {
        public static readonly Tenant Anonymous = new("anonymous", null, "-");

        public string Name { get; } = name;

        public string? ApiKey { get; } = apiKey;

        public string Marker { get; } = marker;

        public ConcurrentBag<string> AccessTokens { get; } = [];

        public List<string> SandboxIds { get; } = [];

        /// <summary>What only this caller may ever see: its key, its marker and its sandboxes' access tokens.</summary>
        public IEnumerable<string> Secrets => ApiKey is null ? [] : [ApiKey, Marker, .. AccessTokens];

        public string? Remember(string createdBody)
        {
            var root = JsonDocument.Parse(createdBody).RootElement;
            if (root.TryGetProperty("envdAccessToken", out var token) && token.GetString() is { Length: > 0 } value)
            {
                AccessTokens.Add(value);
            }

            return root.GetProperty("sandboxID").GetString();
        }
    }

    private sealed class Tenants
    {
        private readonly List<Tenant> _strangers = [];

        public Tenants(Random random)
        {
            string Hex() => Convert.ToHexStringLower(RandomBytes(random, 12));
            Flooder = new Tenant("flooder", "abuse-flooder-" + Hex(), "marker-flooder-" + Hex());
            Victim = new Tenant("victim", "abuse-victim-" + Hex(), "marker-victim-" + Hex());
            Fuzzer = new Tenant("fuzzer", "abuse-fuzzer-" + Hex(), "marker-fuzzer-" + Hex());
        }

        public Tenant Flooder { get; }

        public Tenant Victim { get; }

        public Tenant Fuzzer { get; }

        public IReadOnlyList<Tenant> Named => [Flooder, Victim, Fuzzer];

        public IReadOnlyList<string> AllSandboxIds => [.. Named.SelectMany(t => t.SandboxIds)];

        public IEnumerable<string> StrangerKeys
        {
            get
            {
                lock (_strangers)
                {
                    return [.. _strangers.Select(s => s.ApiKey!)];
                }
            }
        }

        public Tenant NewStranger(Random random)
        {
            var stranger = new Tenant("stranger", "abuse-stranger-" + Convert.ToHexStringLower(RandomBytes(random, 12)), "-");
            lock (_strangers)
            {
                _strangers.Add(stranger);
            }

            return stranger;
        }

        /// <summary>Each named caller creates three sandboxes marked as its own.</summary>
        public async Task SeedAsync(HttpClient client, Tally tally)
        {
            foreach (var tenant in Named)
            {
                for (var i = 0; i < 3; i++)
                {
                    var id = await SendAsync(client, tenant, "deploy", Create(tenant), tally, victim: false);
                    tenant.SandboxIds.Add(id ?? throw new InvalidOperationException($"{tenant.Name} could not create its sandboxes"));
                }
            }
        }
    }

    /// <summary>Counts what every request got and inspects every answer for another caller's data.</summary>
    private sealed class Tally(Tenants tenants, string adminToken)
    {
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, int>> _malformed = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<(string Method, int Status), int> _random = new();
        private readonly ConcurrentDictionary<(string Caller, int Status), int> _own = new();
        private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _victimMs = new(StringComparer.Ordinal);
        private int _inspected;

        public ConcurrentBag<string> ServerErrors { get; } = [];

        public ConcurrentBag<string> Hangs { get; } = [];

        public ConcurrentBag<string> CrossTenantReads { get; } = [];

        public ConcurrentBag<string> EchoedSecrets { get; } = [];

        public ConcurrentBag<string> VictimFailures { get; } = [];

        public IEnumerable<string> AllSecrets() => [adminToken, .. tenants.Named.SelectMany(t => t.Secrets), .. tenants.StrangerKeys];

        public void Malformed(string name, MalformedRequests.Answer answer, Tenant caller)
        {
            _malformed.GetOrAdd(name, _ => new()).AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
            if (answer.TimedOut)
            {
                Hangs.Add(name);
            }

            // 505 is Kestrel's precise answer to a request line without a version it speaks: a client error, not the gateway's.
            if (answer.Status >= 500 && answer.Status != (int)HttpStatusCode.HttpVersionNotSupported)
            {
                ServerErrors.Add($"malformed '{name}': {answer.Text[..Math.Min(answer.Text.Length, 400)]}");
            }

            Inspect(caller, "malformed " + name, answer.Text);
        }

        public void Random(string method, int status, string text, Tenant caller)
        {
            _random.AddOrUpdate((method, status), 1, (_, n) => n + 1);
            if (status >= 500 && status != (int)HttpStatusCode.ServiceUnavailable)
            {
                ServerErrors.Add($"random {method} as {caller.Name}: {status} {text[..Math.Min(text.Length, 400)]}");
            }

            Inspect(caller, "random " + method, text);
        }

        public void Own(Tenant caller, string operation, int status, double milliseconds, string text, bool victim)
        {
            _own.AddOrUpdate((caller.Name, status), 1, (_, n) => n + 1);
            if (victim)
            {
                _victimMs.GetOrAdd(operation, _ => []).Add(milliseconds);
                if (status is < 200 or >= 300)
                {
                    VictimFailures.Add($"{operation}: {status} {text[..Math.Min(text.Length, 300)]}");
                }
            }
            else if (status >= 500 && status != (int)HttpStatusCode.ServiceUnavailable)
            {
                ServerErrors.Add($"{caller.Name} {operation}: {status} {text[..Math.Min(text.Length, 300)]}");
            }

            Inspect(caller, caller.Name + " " + operation, text);
        }

        public IEnumerable<(string Operation, double P99)> VictimP99() => _victimMs.Select(pair =>
        {
            var sorted = pair.Value.Order().ToArray();
            return (pair.Key, sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * 0.99) - 1)]);
        });

        private void Inspect(Tenant caller, string what, string text)
        {
            Interlocked.Increment(ref _inspected);
            foreach (var other in tenants.Named)
            {
                if (other == caller)
                {
                    continue;
                }

                foreach (var secret in other.Secrets)
                {
                    if (text.Contains(secret, StringComparison.Ordinal))
                    {
                        CrossTenantReads.Add($"{what} as {caller.Name} showed {other.Name}'s {(secret == other.ApiKey ? "API key" : secret == other.Marker ? "sandbox metadata" : "access token")}");
                    }
                }
            }

            if (text.Contains(adminToken, StringComparison.Ordinal) || (caller.ApiKey is { } key && text.Contains(key, StringComparison.Ordinal)))
            {
                EchoedSecrets.Add($"{what} as {caller.Name} echoed a secret");
            }
        }

        public void Report(ITestOutputHelper output)
        {
            var malformedCount = _malformed.Values.Sum(s => s.Values.Sum());
            output.WriteLine($"malformed raw requests: {malformedCount} sent, {_malformed.Count} kinds, {Hangs.Count} left hanging");
            foreach (var (name, statuses) in _malformed.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  {name,-55} {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "closed" : s.Key.ToString(CultureInfo.InvariantCulture))} x{s.Value}"))}");
            }

            output.WriteLine($"random requests: {_random.Values.Sum()} sent: {string.Join(", ", _random.GroupBy(p => p.Key.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "transport error" : g.Key.ToString(CultureInfo.InvariantCulture))} x{g.Sum(p => p.Value)}"))}");
            foreach (var caller in _own.GroupBy(p => p.Key.Caller).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"{caller.Key}'s own requests: {caller.Sum(p => p.Value)}: {string.Join(", ", caller.OrderBy(p => p.Key.Status).Select(p => $"{p.Key.Status} x{p.Value}"))}");
            }

            output.WriteLine($"the victim's P99 under the flood: {string.Join(", ", VictimP99().OrderBy(p => p.Operation, StringComparer.Ordinal).Select(p => $"{p.Operation} {p.P99:F0} ms (target {TargetMs[p.Operation]:F0})"))}; failures {VictimFailures.Count}");
            output.WriteLine($"server errors (500, 502, 504): {ServerErrors.Count}; responses inspected for another caller's data: {_inspected}; cross-tenant reads: {CrossTenantReads.Count}; secrets echoed: {EchoedSecrets.Count}");
            foreach (var problem in Hangs.Select(h => "left hanging: " + h).Concat(ServerErrors).Concat(CrossTenantReads).Concat(EchoedSecrets).Concat(VictimFailures).Take(20))
            {
                output.WriteLine("  " + problem);
            }
        }
    }
}
