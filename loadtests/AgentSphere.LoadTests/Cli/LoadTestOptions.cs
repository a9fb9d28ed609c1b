using System.Globalization;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Cli;

/// <summary>The command line: <c>&lt;scenario&gt; --target URL [options]</c>; see <see cref="Usage"/>.</summary>
/// <remarks>Options a scenario gives its own default (rate, duration, keys, pool) are null here when not given.</remarks>
internal sealed class LoadTestOptions
{
    public const string Usage = """
        usage: AgentSphere.LoadTests <scenario> --target URL [--rate N] [--duration T] [--warmup T] [--time-scale F]
                                     [--report FILE] [--api-keys N] [--seed N] [--metrics URL] [--mix SPEC] [--pool N]
                                     [--cache-bypass] [--step-duration T] [--step-factor F] [--max-rate N] [--p99-limit MS]
                                     [--error-limit PCT]

          <scenario>        one of: {0}
          --target URL      base URL of the gateway (or of one backend), e.g. http://127.0.0.1:8080
          --rate N          ops/s started, evenly spaced (open loop); default 50. capacity: the first step's rate
          --duration T      measured period (500ms, 30s, 2m, 1h): reads 30s, methods 60s, stability 2h × time scale;
                            concurrency: each timed part, default 10s × time scale
          --warmup T        period before it whose requests are sent but not counted; default 5s (capacity: 3s per step)
          --time-scale F    multiplies the scenarios' built-in periods: ramp stages (2m), stability (2h), capacity steps
                            (20s), concurrency parts (10s); default 1. An explicit --duration is not scaled
          --report FILE     write FILE.md, FILE.html and FILE.json (a .md/.html/.htm/.json extension is replaced)
          --api-keys N      callers loadtest-key-1..N; default 20 for reads, 1000 for capacity, 100 otherwise
                            (the gateway allows each caller 5 requests at once and 100 creates a day)
          --seed N          seed of the workload's random choices; default 1
          --metrics URL     the gateway's management /metrics, read once a second for its working set
                            (e.g. http://127.0.0.1:8081/metrics); without it memory is "not measured"
          --mix SPEC        operation weights; default {1}
          --pool N          live sandboxes the workload keeps (created before the run, unmeasured);
                            default 10 (concurrency: the 5 it creates; capacity: the number of keys, at most 100)
          --cache-bypass    send Cache-Control: no-cache on every request, so the gateway's response cache
                            answers nothing (the uncached path)
          capacity only:
          --step-duration T measured length of each step; default 20s × time scale
          --step-factor F   rate multiplier between steps until one fails, then two bisections; default 1.5
          --max-rate N      highest rate tried; default 100000
          --p99-limit MS    a step holds while its overall P99 is at most this; default 1000
          --error-limit PCT ...and its error rate at most this percentage; default 1
        """;

    private static readonly string[] Flags = ["--cache-bypass"];

    private static readonly string[] Known =
    [
        "--target", "--rate", "--duration", "--warmup", "--time-scale", "--report", "--api-keys", "--seed", "--metrics", "--mix", "--pool", "--cache-bypass",
        "--step-duration", "--step-factor", "--max-rate", "--p99-limit", "--error-limit",
    ];

    public required string Scenario { get; init; }

    public required Uri Target { get; init; }

    /// <summary>Ops started per second, or null for the scenario's default.</summary>
    public double? Rate { get; init; }

    /// <summary>The measured period, or null for the scenario's default.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The period before the measured one, or null for the scenario's default (5 s; capacity 3 s per step).</summary>
    public TimeSpan? Warmup { get; init; }

    /// <summary>Multiplier of the scenarios' built-in periods; default 1.</summary>
    public double TimeScale { get; init; } = 1;

    public string? ReportPath { get; init; }

    /// <summary>Distinct callers, or null for the scenario's default.</summary>
    public int? ApiKeys { get; init; }

    /// <summary>Seed of the workload's random source; default 1, so two runs send the same request sequence.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The gateway's management <c>/metrics</c> URL, or null.</summary>
    public Uri? MetricsUrl { get; init; }

    public OperationMix Mix { get; init; } = OperationMix.Default;

    /// <summary>Live sandboxes to keep, or null for the scenario's default.</summary>
    public int? Pool { get; init; }

    /// <summary>Send <c>Cache-Control: no-cache</c> so the gateway's cache answers nothing.</summary>
    public bool CacheBypass { get; init; }

    /// <summary>Capacity: measured length of each step, or null for 20 s × time scale.</summary>
    public TimeSpan? StepDuration { get; init; }

    /// <summary>Capacity: rate multiplier between steps; default 1.5.</summary>
    public double StepFactor { get; init; } = 1.5;

    /// <summary>Capacity: the highest rate tried; default 100000.</summary>
    public double MaxRate { get; init; } = 100_000;

    /// <summary>Capacity: a step holds while its overall P99 is at most this, ms; default 1000.</summary>
    public double P99LimitMs { get; init; } = 1000;

    /// <summary>Capacity: ...and its error rate at most this, 0..1; default 0.01.</summary>
    public double ErrorLimit { get; init; } = 0.01;

    /// <summary>A period of the scenario scaled by <see cref="TimeScale"/>.</summary>
    public TimeSpan Scaled(TimeSpan period) => period * TimeScale;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? scenario = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (scenario is not null)
                {
                    throw new UsageException($"unexpected argument '{arg}' (the scenario is already '{scenario}').");
                }

                scenario = arg;
                continue;
            }

            if (Flags.Contains(arg))
            {
                values[arg] = "true";
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name, value;
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg;
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} needs a value.");
                }

                value = args[++i];
            }

            if (!Known.Contains(name) || Flags.Contains(name))
            {
                throw new UsageException($"unknown option '{name}'.");
            }

            values[name] = value;
        }

        if (scenario is null)
        {
            throw new UsageException("no scenario given.");
        }

        if (!values.TryGetValue("--target", out var targetText))
        {
            throw new UsageException("--target URL is required.");
        }

        var options = new LoadTestOptions
        {
            Scenario = scenario,
            Target = ParseUrl(targetText, "--target"),
            Rate = values.TryGetValue("--rate", out var rate) ? ParseNumber(rate, "--rate", 0.001, 1_000_000) : null,
            Duration = values.TryGetValue("--duration", out var duration) ? Durations.Parse(duration, "--duration") : null,
            Warmup = values.TryGetValue("--warmup", out var warmup) ? Durations.Parse(warmup, "--warmup") : null,
            TimeScale = values.TryGetValue("--time-scale", out var scale) ? ParseNumber(scale, "--time-scale", 0.001, 1000) : 1,
            ReportPath = values.GetValueOrDefault("--report"),
            ApiKeys = values.TryGetValue("--api-keys", out var keys) ? (int)ParseNumber(keys, "--api-keys", 1, 100_000, integer: true) : null,
            Seed = values.TryGetValue("--seed", out var seed) ? (int)ParseNumber(seed, "--seed", int.MinValue, int.MaxValue, integer: true) : 1,
            MetricsUrl = values.TryGetValue("--metrics", out var metrics) ? ParseUrl(metrics, "--metrics") : null,
            Mix = values.TryGetValue("--mix", out var mix) ? ParseMix(mix) : OperationMix.Default,
            CacheBypass = values.ContainsKey("--cache-bypass"),
            Pool = values.TryGetValue("--pool", out var pool) ? (int)ParseNumber(pool, "--pool", 0, 10_000, integer: true) : null,
            StepDuration = values.TryGetValue("--step-duration", out var step) ? Durations.Parse(step, "--step-duration") : null,
            StepFactor = values.TryGetValue("--step-factor", out var factor) ? ParseNumber(factor, "--step-factor", 1.01, 100) : 1.5,
            MaxRate = values.TryGetValue("--max-rate", out var max) ? ParseNumber(max, "--max-rate", 0.001, 1_000_000) : 100_000,
            P99LimitMs = values.TryGetValue("--p99-limit", out var p99) ? ParseNumber(p99, "--p99-limit", 1, 120_000) : 1000,
            ErrorLimit = values.TryGetValue("--error-limit", out var errors) ? ParseNumber(errors, "--error-limit", 0, 100) / 100 : 0.01,
        };

        if (options.Duration is { } d && d <= TimeSpan.Zero)
        {
            throw new UsageException("--duration must be longer than 0.");
        }

        if (options.StepDuration is { } s && s <= TimeSpan.Zero)
        {
            throw new UsageException("--step-duration must be longer than 0.");
        }

        return options;
    }

    private static Uri ParseUrl(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"{option}: '{text}' is not an absolute http:// or https:// URL.");

    private static OperationMix ParseMix(string text)
    {
        try
        {
            return OperationMix.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException("--mix: " + ex.Message);
        }
    }

    private static double ParseNumber(string text, string option, double min, double max, bool integer = false)
    {
        var style = integer ? NumberStyles.Integer : NumberStyles.Float;
        if (!double.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option}: '{text}' must be {(integer ? "an integer" : "a number")} from {min} to {max}."));
        }

        return value;
    }
}
