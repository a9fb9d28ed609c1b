using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentSphere.Simulator.Api;

/// <summary>Checks the <c>X-API-Key</c> header and turns the key into a team identity (its SHA-256 hash).</summary>
internal sealed class ApiKeyValidator
{
    public const string HeaderName = "X-API-Key";

    private readonly HashSet<string> _allowed;

    public ApiKeyValidator(IOptions<SimulatorOptions> options) =>
        _allowed = options.Value.ApiKeys.Select(Hash).ToHashSet(StringComparer.Ordinal);

    public bool TryAuthenticate(HttpRequest request, [NotNullWhen(true)] out ApiCaller? caller, [NotNullWhen(false)] out string? error)
    {
        caller = null;
        var key = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key))
        {
            error = "Missing X-API-Key header";
            return false;
        }

        var team = Hash(key);
        if (_allowed.Count > 0 && !_allowed.Contains(team))
        {
            error = "Invalid API key";
            return false;
        }

        caller = new ApiCaller(team);
        error = null;
        return true;
    }

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
