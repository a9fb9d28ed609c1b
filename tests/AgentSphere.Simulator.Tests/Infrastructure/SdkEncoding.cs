using System.Text;

namespace AgentSphere.Simulator.Tests.Infrastructure;

/// <summary>Reproduces, byte for byte, how the agentsphere-js SDK and its HTTP client encode the metadata filter.</summary>
internal static class SdkEncoding
{
    /// <summary>
    /// <c>new URLSearchParams(Object.fromEntries(entries.map(([k, v]) =&gt; [encodeURIComponent(k), encodeURIComponent(v)]))).toString()</c>.
    /// </summary>
    public static string MetadataFilter(params (string Key, string Value)[] entries) =>
        string.Join("&", entries.Select(e => FormUrlEncode(EncodeUriComponent(e.Key)) + "=" + FormUrlEncode(EncodeUriComponent(e.Value))));

    /// <summary>The query string the HTTP client sends: the filter URL-encoded once more as the value of <c>metadata</c>.</summary>
    public static string MetadataQuery(params (string Key, string Value)[] entries) => "metadata=" + EncodeUriComponent(MetadataFilter(entries));

    /// <summary>JavaScript's <c>encodeURIComponent</c>: keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ).</summary>
    public static string EncodeUriComponent(string value) => Encode(value, static c => char.IsAsciiLetterOrDigit(c) || "-_.!~*'()".Contains(c, StringComparison.Ordinal), spaceAsPlus: false);

    /// <summary>The WHATWG application/x-www-form-urlencoded serializer used by <c>URLSearchParams.toString()</c>.</summary>
    public static string FormUrlEncode(string value) => Encode(value, static c => char.IsAsciiLetterOrDigit(c) || "*-._".Contains(c, StringComparison.Ordinal), spaceAsPlus: true);

    private static string Encode(string value, Func<char, bool> keep, bool spaceAsPlus)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && keep(c))
            {
                builder.Append(c);
            }
            else if (spaceAsPlus && c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
