using System.Globalization;

namespace AgentSphere.LoadTests.Workloads;

/// <summary>The share of each operation in the AgentSphere workload, drawn per arrival with a seeded random.</summary>
/// <remarks>
/// The seed report names the operations but gives no shares, so the default is an assumption, chosen so the seed's
/// targets can be judged at all: reads dominate; creates are 0.5 % (0.25/s at 50 ops/s: about 4 creates of ~15 s in
/// flight, well under the gateway's 10 at once and, over 100 callers, far from 100 a day each); every create is matched
/// by a cleanup. Monitors are 10 %: they all go to the few callers that own the pool's sandboxes, and at the gateway
/// a metrics read that waits on another's cache fill holds one of its caller's 5 slots, so a larger share would make
/// the per-caller limit, not the gateway's capacity, decide the error rate. Deploy and cleanup weights only count as
/// one "churn" share: the workload's sandbox pool decides which of the two each churn arrival becomes, so the pool
/// stays at its size.
/// </remarks>
internal sealed class OperationMix
{
    /// <summary>The default mix, in percent.</summary>
    public const string DefaultSpec = "list=35,find=29,connect=25,monitor=10,deploy=0.5,cleanup=0.5";

    private readonly string[] _operations;
    private readonly double[] _cumulative;

    private OperationMix(IReadOnlyList<KeyValuePair<string, double>> weights)
    {
        Weights = weights;
        _operations = [.. weights.Select(w => w.Key)];
        _cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += weights[i].Value;
            _cumulative[i] = sum;
        }

        Total = sum;
    }

    public static OperationMix Default { get; } = Parse(DefaultSpec);

    /// <summary>The weights as given, in <see cref="OperationNames.All"/> order, zero weights left out.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Weights { get; }

    public double Total { get; }

    /// <summary>The share of <paramref name="operation"/>, 0..1.</summary>
    public double ShareOf(string operation) => Weights.Where(w => w.Key == operation).Sum(w => w.Value) / Total;

    /// <summary>Parses <c>op=weight,...</c> over the six operation names; unnamed operations get weight 0.</summary>
    /// <exception cref="FormatException">An unknown operation, a weight that is not a non-negative number, or all weights 0.</exception>
    public static OperationMix Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var given = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? part[..equals].Trim().ToLowerInvariant() : part;
            if (!OperationNames.All.Contains(name))
            {
                throw new FormatException($"'{name}' is not an operation; use {string.Join(", ", OperationNames.All)}.");
            }

            if (equals <= 0
                || !double.TryParse(part[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || weight < 0
                || !double.IsFinite(weight))
            {
                throw new FormatException($"'{part}' needs a non-negative weight, e.g. {name}=25.");
            }

            given[name] = weight;
        }

        var weights = OperationNames.All
            .Where(name => given.GetValueOrDefault(name) > 0)
            .Select(name => KeyValuePair.Create(name, given[name]))
            .ToList();
        if (weights.Count == 0)
        {
            throw new FormatException("at least one operation needs a weight above 0.");
        }

        return new OperationMix(weights);
    }

    /// <summary>Draws one operation with probability proportional to its weight (one <see cref="Random.NextDouble"/> per draw).</summary>
    public string Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u = random.NextDouble() * Total;
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i])
            {
                return _operations[i];
            }
        }

        return _operations[^1];
    }

    /// <summary>The mix as <c>op=weight</c> pairs.</summary>
    public override string ToString() =>
        string.Join(",", Weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key}={w.Value:0.###}")));
}
