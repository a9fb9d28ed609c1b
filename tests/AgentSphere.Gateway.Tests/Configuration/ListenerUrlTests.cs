using AgentSphere.Gateway.Listeners;

namespace AgentSphere.Gateway.Tests.Configuration;

public sealed class ListenerUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", false, "127.0.0.1", 8080)]
    [InlineData("https://0.0.0.0:8443/", true, "*", 8443)]
    [InlineData("http://*:0", false, "*", 0)]
    [InlineData("http://localhost:5000", false, "localhost", 5000)]
    [InlineData("http://[::1]:5000", false, "[::1]", 5000)]
    public void TryParse_ValidUrl_ParsesSchemeHostAndPort(string value, bool https, string host, int port)
    {
        Assert.True(ListenerUrl.TryParse(value, out var url, out _));
        Assert.Equal(https, url.IsHttps);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "must start with http")]
    [InlineData("http://127.0.0.1", "must name a port")]
    [InlineData("http://127.0.0.1:70000", "invalid port")]
    [InlineData("http://127.0.0.1:8080/api", "must not carry a path")]
    [InlineData("http://gateway.example:8080", "must bind to an IP address")]
    public void TryParse_InvalidUrl_ExplainsWhy(string value, string reason)
    {
        Assert.False(ListenerUrl.TryParse(value, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
