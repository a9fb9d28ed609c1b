using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Management;

/// <summary>Checks <see cref="ManagementOptions"/> at start-up, without ever repeating the token.</summary>
internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public const int MinTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FailedTokenLimit is < 1 or > 10_000)
        {
            return ValidateOptionsResult.Fail($"Management:FailedTokenLimit is {options.FailedTokenLimit}; allowed: 1 to 10000 wrong tokens per window.");
        }

        if (options.FailedTokenWindow < TimeSpan.FromSeconds(1) || options.FailedTokenWindow > TimeSpan.FromDays(1))
        {
            return ValidateOptionsResult.Fail($"Management:FailedTokenWindow is {options.FailedTokenWindow:c}; allowed: 00:00:01 to 1.00:00:00.");
        }

        var token = options.AdminToken;
        if (string.IsNullOrEmpty(token))
        {
            return ValidateOptionsResult.Success;
        }

        if (token.Length < MinTokenLength)
        {
            return ValidateOptionsResult.Fail($"Management:AdminToken is {token.Length} characters long; allowed: at least {MinTokenLength} (for example 32 random hex digits).");
        }

        if (token.Any(c => c <= ' ' || c >= 127))
        {
            return ValidateOptionsResult.Fail("Management:AdminToken holds a space, control or non-ASCII character; allowed: printable ASCII only.");
        }

        return ValidateOptionsResult.Success;
    }
}
