using AgentSphere.Simulator.Sandboxes;
using AgentSphere.Simulator.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentSphere.Simulator.Tests.Sandboxes;

public sealed class MetadataFilterTests
{
    public static TheoryData<string, string> AwkwardPairs => new()
    {
        { "userId", "u1" },
        { "userId", "a b&c" },
        { "equation", "x=y+z" },
        { "progress", "100%" },
        { "percent-escape", "%20 is not a space" },
        { "名前", "Ünïcødé ✓ 🚀" },
        { "key with space", "quote'(!)*~" },
        { "plus", "+1" },
    };

    [Theory]
    [MemberData(nameof(AwkwardPairs))]
    public void TryParse_SdkDoubleEncodedValue_DecodesOriginalPair(string key, string value)
    {
        // Arrange: what reaches the handler after ASP.NET Core decoded the query once.
        var received = ReceivedByServer(SdkEncoding.MetadataQuery((key, value)));

        // Act
        var parsed = MetadataFilter.TryParse(received, out var filter, out var error);

        // Assert
        Assert.True(parsed, error);
        var pair = Assert.Single(filter!.Pairs);
        Assert.Equal(key, pair.Key);
        Assert.Equal(value, pair.Value);
    }

    [Fact]
    public void TryParse_SdkEncoding_ShowsTheDoubleEncodingOnTheWire()
    {
        var wire = SdkEncoding.MetadataQuery(("userId", "a b&c"));

        Assert.Equal("metadata=userId%3Da%252520b%252526c", wire);
        Assert.Equal("userId=a%2520b%2526c", ReceivedByServer(wire));
    }

    [Fact]
    public void Matches_SeveralSdkEncodedPairs_RequiresAllOfThem()
    {
        // Arrange
        var received = ReceivedByServer(SdkEncoding.MetadataQuery(("userId", "a b&c"), ("suite", "x=1")));
        Assert.True(MetadataFilter.TryParse(received, out var filter, out _));

        // Act / Assert
        Assert.Equal(2, filter.Pairs.Count);
        Assert.True(filter.Matches(new Dictionary<string, string> { ["userId"] = "a b&c", ["suite"] = "x=1", ["other"] = "y" }));
        Assert.False(filter.Matches(new Dictionary<string, string> { ["userId"] = "a b&c" }));
        Assert.False(filter.Matches(new Dictionary<string, string> { ["userId"] = "a b&c", ["suite"] = "x=2" }));
    }

    [Fact]
    public void TryParse_PlainSingleEncodedFilter_Matches()
    {
        // metadata=userId%3Du1 as raw HTTP clients send it.
        Assert.True(MetadataFilter.TryParse(ReceivedByServer("metadata=userId%3Du1"), out var filter, out _));

        Assert.True(filter.Matches(new Dictionary<string, string> { ["userId"] = "u1" }));
        Assert.False(filter.Matches(new Dictionary<string, string> { ["userId"] = "u2" }));
    }

    [Fact]
    public void TryParse_ValueContainingEquals_SplitsOnFirstEqualsOnly()
    {
        Assert.True(MetadataFilter.TryParse("k=a=b", out var filter, out _));

        Assert.Equal(new KeyValuePair<string, string>("k", "a=b"), Assert.Single(filter.Pairs));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("&&")]
    public void TryParse_NoPairs_MatchesEverything(string? query)
    {
        Assert.True(MetadataFilter.TryParse(query, out var filter, out _));

        Assert.True(filter.IsEmpty);
        Assert.True(filter.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("userId")]
    [InlineData("a=1&broken")]
    [InlineData("=value")]
    public void TryParse_MalformedPair_Fails(string query)
    {
        var parsed = MetadataFilter.TryParse(query, out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("Invalid metadata filter", error, StringComparison.Ordinal);
    }

    private static string ReceivedByServer(string queryString) => QueryHelpers.ParseQuery("?" + queryString)["metadata"].ToString();
}
