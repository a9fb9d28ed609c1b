namespace AgentSphere.Gateway.Configuration;

/// <summary>A configuration value that stops start-up; the message names the key and what it allows.</summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>Creates the exception with a message naming the offending key.</summary>
    public GatewayConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming the offending key and the underlying cause.</summary>
    public GatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GatewayConfigurationException()
    {
    }
}
