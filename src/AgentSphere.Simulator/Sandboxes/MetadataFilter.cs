using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace AgentSphere.Simulator.Sandboxes;

/// <summary>The <c>metadata</c> query filter of the list endpoints: an AND over key=value pairs.</summary>
/// <remarks>
/// The SDK encodes the filter twice: it percent-encodes each key and value, joins them with URLSearchParams (which
/// form-encodes again) and its HTTP client URL-encodes the whole string as the query value. After ASP.NET Core has
/// decoded the query value once, this parser splits on '&amp;', splits each pair on its first '=', form-decodes key and
/// value (+ is a space) and then query-unescapes them once more, like E2B's Go <c>url.ParseQuery</c> followed by
/// <c>url.QueryUnescape</c>. A plain <c>metadata=userId%3Du1</c> still works: decoding "u1" again changes nothing.
/// </remarks>
internal sealed class MetadataFilter
{
    public static readonly MetadataFilter None = new([]);

    private readonly KeyValuePair<string, string>[] _pairs;

    private MetadataFilter(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public bool IsEmpty => _pairs.Length == 0;

    /// <summary>Parses the (once decoded) <c>metadata</c> query value; null or empty means no filter.</summary>
    public static bool TryParse(string? query, [NotNullWhen(true)] out MetadataFilter? filter, [NotNullWhen(false)] out string? error)
    {
        filter = null;
        error = null;
        if (string.IsNullOrEmpty(query))
        {
            filter = None;
            return true;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                error = $"Invalid metadata filter: \"{part}\" is not a key=value pair";
                return false;
            }

            var key = Decode(part[..equals]);
            if (key.Length == 0)
            {
                error = $"Invalid metadata filter: \"{part}\" has an empty key";
                return false;
            }

            pairs.Add(new(key, Decode(part[(equals + 1)..])));
        }

        filter = pairs.Count == 0 ? None : new MetadataFilter([.. pairs]);
        return true;
    }

    public bool Matches(IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var (key, value) in _pairs)
        {
            if (!metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // Form-decode (url.ParseQuery), then query-unescape (url.QueryUnescape); invalid escapes are kept as they are.
    private static string Decode(string encoded) => WebUtility.UrlDecode(WebUtility.UrlDecode(encoded));
}
