using AgentSphere.Simulator.Sandboxes;

namespace AgentSphere.Simulator.Tests.Sandboxes;

public sealed class SandboxPageCursorTests
{
    [Fact]
    public void Encode_ThenTryDecode_RoundTrips()
    {
        var cursor = new SandboxPageCursor(638_000_000_000_000_000, "abcdefghij0123456789");

        Assert.True(SandboxPageCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("MTIzNDU")] // "12345": no separator
    [InlineData("MTIzOnNob3J0")] // "123:short"
    [InlineData("LTE6YWJjZGVmZ2hpajAxMjM0NTY3ODk")] // "-1:abcdefghij0123456789"
    public void TryDecode_InvalidToken_Fails(string token)
    {
        Assert.False(SandboxPageCursor.TryDecode(token, out _));
    }
}
