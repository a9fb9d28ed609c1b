namespace AgentSphere.Simulator.Randomness;

/// <summary>The simulator's single random source: ids, access tokens, latency and error draws.</summary>
/// <remarks>
/// One seeded <see cref="Random"/> behind a lock makes a run reproducible: two simulators with the same seed, clock
/// and request sequence hand out the same ids and draws. Nothing that is not an API request (health, <c>/_sim/*</c>,
/// the load header) may draw from it, or the sequences of two twins would drift apart.
/// </remarks>
internal sealed class SimulatorRandom
{
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string HexDigits = "0123456789abcdef";

    private readonly Lock _lock = new();
    private readonly Random _random;

    public SimulatorRandom(int? seed) => _random = seed is { } value ? new Random(value) : new Random();

    /// <summary>A uniform draw in [0, 1).</summary>
    public double NextDouble()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>A string of lowercase letters and digits.</summary>
    public string NextAlphanumeric(int length) => NextString(length, Alphanumerics);

    /// <summary>A string of lowercase hexadecimal digits.</summary>
    public string NextHex(int length) => NextString(length, HexDigits);

    private string NextString(int length, string alphabet)
    {
        Span<char> chars = stackalloc char[length];
        lock (_lock)
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[_random.Next(alphabet.Length)];
            }
        }

        return new string(chars);
    }
}
