using AgentSphere.Policies.Caching;
using Microsoft.AspNetCore.Http;

namespace AgentSphere.Policies.Tests.Caching;

public sealed class ResponseCacheTagsTests
{
    [Theory]
    [InlineData("/sandboxes/abc", "abc")]
    [InlineData("/sandboxes/abc/pause", "abc")]
    [InlineData("/sandboxes/AbC/metrics", "AbC")]
    [InlineData("/v2/sandboxes/abc/logs", "abc")]
    [InlineData("/sandboxes", null)]
    [InlineData("/sandboxes/", null)]
    [InlineData("/sandboxes/metrics", null)]
    [InlineData("/v2/sandboxes", null)]
    [InlineData("/health", null)]
    [InlineData("/templates/abc", null)]
    public void TryGetSandboxId_Path_FindsTheSandboxSegment(string path, string? expected)
    {
        var found = ResponseCacheTags.TryGetSandboxId(new PathString(path), out var id);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, id);
    }

    [Fact]
    public void Sandbox_Id_IsHashedAndCaseSensitive()
    {
        var tag = ResponseCacheTags.Sandbox("secret-looking-id");

        Assert.StartsWith("sandbox:", tag, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-id", tag, StringComparison.Ordinal);
        Assert.Equal(tag, ResponseCacheTags.Sandbox("secret-looking-id"));
        Assert.NotEqual(tag, ResponseCacheTags.Sandbox("Secret-looking-id"));
    }
}
