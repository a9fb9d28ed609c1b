using System.Globalization;

namespace AgentSphere.LoadTests.Cli;

/// <summary>The command line: <c>&lt;scenario&gt; --target URL [--rate N] [--duration T] [--warmup T] [--report FILE] [--api-keys N] [--seed N]</c>.</summary>
internal sealed class LoadTestOptions
{
    public const string Usage = """
        usage: AgentSphere.LoadTests <scenario> --target URL [--rate N] [--duration T] [--warmup T]
                                     [--report FILE] [--api-keys N] [--seed N]

          <scenario>      the workload; one of: {0}
          --target URL    base URL of the gateway (or of one backend), e.g. http://127.0.0.1:8080
          --rate N        requests started per second, evenly spaced (open loop); default 50
          --duration T    measured period after the warm-up (500ms, 30s, 2m, 1h); default 30s
          --warmup T      period before it whose requests are sent but not counted; default 5s
          --report FILE   also write the summary as JSON to FILE
          --api-keys N    distinct callers, X-API-Key loadtest-key-1..N, used round-robin; default 20 (the gateway limits each caller to 5 at once)
          --seed N        seed of the scenario's random choices; default 1
        """;

    public required string Scenario { get; init; }

    public required Uri Target { get; init; }

    /// <summary>Requests started per second; default 50 (the seed's sustained target).</summary>
    public double Rate { get; init; } = 50;

    /// <summary>The measured period, after the warm-up; default 30 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The period before the measured one: its requests are sent but left out of the statistics; default 5 s.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public string? ReportPath { get; init; }

    /// <summary>Distinct API keys, <c>loadtest-key-1..N</c>; default 1.</summary>
    public int ApiKeys { get; init; } = 20;

    /// <summary>Seed of the scenario's random source; default 1, so two runs send the same request sequence.</summary>
    public int Seed { get; init; } = 1;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
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

            if (name is not ("--target" or "--rate" or "--duration" or "--warmup" or "--report" or "--api-keys" or "--seed"))
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

        if (!Uri.TryCreate(targetText, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--target: '{targetText}' is not an absolute http:// or https:// URL.");
        }

        var options = new LoadTestOptions
        {
            Scenario = scenario,
            Target = target,
            Rate = values.TryGetValue("--rate", out var rate) ? ParseNumber(rate, "--rate", 0.001, 100_000) : 50,
            Duration = values.TryGetValue("--duration", out var duration) ? Durations.Parse(duration, "--duration") : TimeSpan.FromSeconds(30),
            Warmup = values.TryGetValue("--warmup", out var warmup) ? Durations.Parse(warmup, "--warmup") : TimeSpan.FromSeconds(5),
            ReportPath = values.GetValueOrDefault("--report"),
            ApiKeys = values.TryGetValue("--api-keys", out var keys) ? (int)ParseNumber(keys, "--api-keys", 1, 100_000, integer: true) : 20,
            Seed = values.TryGetValue("--seed", out var seed) ? (int)ParseNumber(seed, "--seed", int.MinValue, int.MaxValue, integer: true) : 1,
        };

        if (options.Duration <= TimeSpan.Zero)
        {
            throw new UsageException("--duration must be longer than 0.");
        }

        return options;
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
