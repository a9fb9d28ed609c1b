using AgentSphere.Policies.Caching;

namespace AgentSphere.Policies.Tests.Caching;

public sealed class RedisEntryFormatTests
{
    [Fact]
    public void TryDecode_Encoded_ReturnsBodyAndTags()
    {
        var body = CacheStores.Body(1000, 3);
        string[] tags = ["caller:3f2a", "ключ", new string('t', 300), ""];

        var encoded = RedisEntryFormat.Encode(body, tags);
        var ok = RedisEntryFormat.TryDecode(encoded, out var decodedBody, out var decodedTags);

        Assert.True(ok);
        Assert.Equal(body, decodedBody);
        Assert.Equal(tags, decodedTags);
    }

    [Fact]
    public void TryDecode_NoTagsEmptyBody_RoundTrips()
    {
        var ok = RedisEntryFormat.TryDecode(RedisEntryFormat.Encode([], []), out var body, out var tags);

        Assert.True(ok);
        Assert.Empty(body);
        Assert.Empty(tags);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2, 0 })]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 1, 1, 10, 65 })]
    [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    public void TryDecode_UnknownOrTruncated_ReturnsFalse(byte[] data)
    {
        Assert.False(RedisEntryFormat.TryDecode(data, out _, out _));
    }
}
