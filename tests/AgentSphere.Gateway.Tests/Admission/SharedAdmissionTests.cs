using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AgentSphere.Gateway.Tests.Infrastructure;
using AgentSphere.Simulator;

namespace AgentSphere.Gateway.Tests.Admission;

/// <summary>Two real gateways sharing caller limits and quotas through a real <c>redis-server</c> on loopback.</summary>
public sealed class SharedAdmissionTests() : RedisGatewayPair("sim-shared", seed: 7, caching: false)
{
    [Fact]
    public async Task TwentyConcurrentRequestsOfOneKey_AcrossTwoGateways_NeverMoreThanFiveInService()
    {
        Simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 250 });
        var inService = new HighWaterMark();
        var served = new int[2];
        var refused = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var inFlight = Simulator.GetLoad().InFlight;
                inService.Observe(inFlight);
                await Task.Yield();
            }
        });

        // 20 callers with the same key, 10 on each gateway, each sending again as soon as it has an answer.
        var callers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var gateway = i % 2 == 0 ? First : Second;
            while (!stop.IsCancellationRequested)
            {
                using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", "shared-key");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref served[i % 2]);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                    Interlocked.Increment(ref refused);
                    await Task.Delay(20);
                }
            }
        })).ToArray();
        await Task.WhenAll(callers);
        await watcher;

        Assert.Equal(5, inService.Highest);
        Assert.True(served[0] > 0 && served[1] > 0, $"both gateways served requests: {served[0]} and {served[1]}");
        Assert.True(refused > 0);
    }

    [Fact]
    public async Task DailyQuota_AcrossTwoGateways_HundredAndFirstCreateGets429()
    {
        var created = 0;
        var next = 0;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= 100)
            {
                var gateway = w % 2 == 0 ? First : Second;
                using var response = await AdmissionTests.CreateAsync(gateway.Client, "quota-shared-key");
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Interlocked.Increment(ref created);
            }
        }));
        await Task.WhenAll(workers);

        using var first101 = await AdmissionTests.CreateAsync(First.Client, "quota-shared-key");
        using var second101 = await AdmissionTests.CreateAsync(Second.Client, "quota-shared-key");

        Assert.Equal(100, created);
        Assert.Equal(100, Simulator.GetRequestCount("deploy"));
        foreach (var refused in new[] { first101, second101 })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(long.Parse(AdmissionTests.Header(refused, "Retry-After"), System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Equal("daily-quota", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("policy").GetString());
        }
    }

    [Fact]
    public async Task RedisKilledUnderLoad_NoServerErrorNoLostRequest_AndSharedCountingResumesAfterRestart()
    {
        Simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 20 });
        var sent = 0;
        var answered = 0;
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        using var stop = new CancellationTokenSource();
        var traffic = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            var gateway = i % 2 == 0 ? First : Second;
            var key = $"outage-key-{i % 6}";
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref sent);
                using var response = await AdmissionTests.SendAsync(gateway.Client, HttpMethod.Get, "/sandboxes", key);
                Interlocked.Increment(ref answered);
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Volatile.Read(ref answered) > 50, "traffic flowing on shared limits");
        await Redis.StopAsync();
        await WaitForSharedStateAsync("local-fallback");
        var atOutage = Volatile.Read(ref answered);
        await Eventually.TrueAsync(() => Volatile.Read(ref answered) > atOutage + 100, "traffic flowing on local limits");

        await Redis.StartAsync();
        await WaitForSharedStateAsync("shared");
        var atRecovery = Volatile.Read(ref answered);
        await Eventually.TrueAsync(() => Volatile.Read(ref answered) > atRecovery + 50, "traffic flowing on shared limits again");
        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        Assert.Equal(sent, answered);
        Assert.DoesNotContain(statuses.Keys, status => (int)status >= 500);
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 0);

        // Shared counting is back: five slow requests on one gateway use the key's limit on the other.
        Simulator.SetFaults(new SimulatorFaults { ExtraLatencyMs = 1500 });
        var held = Enumerable.Range(0, 5).Select(_ => AdmissionTests.SendAsync(First.Client, HttpMethod.Get, "/sandboxes", "resumed-key")).ToArray();
        await Eventually.TrueAsync(() => Simulator.GetLoad().InFlight == 5, "five requests in service on the first gateway");
        using (var sixth = await AdmissionTests.SendAsync(Second.Client, HttpMethod.Get, "/sandboxes", "resumed-key"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        }

        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        var metrics = await First.Management.GetStringAsync("/metrics");
        Assert.Contains("agentsphere_gateway_shared_state_available 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("agentsphere_gateway_shared_state_fallbacks_total 0", metrics, StringComparison.Ordinal);
    }
}
