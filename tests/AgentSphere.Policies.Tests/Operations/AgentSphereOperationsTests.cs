using AgentSphere.Policies.Operations;

namespace AgentSphere.Policies.Tests.Operations;

public sealed class AgentSphereOperationsTests
{
    [Fact]
    public void GetName_EveryOperation_RoundTripsThroughTryParse()
    {
        foreach (var operation in AgentSphereOperations.All)
        {
            Assert.True(AgentSphereOperations.TryParse(operation.GetName(), out var parsed));
            Assert.Equal(operation, parsed);
        }
    }

    [Theory]
    [InlineData("KeepAlive", AgentSphereOperation.KeepAlive)]
    [InlineData("DEPLOY", AgentSphereOperation.Deploy)]
    [InlineData("find", AgentSphereOperation.Find)]
    public void TryParse_AnyCase_Parses(string name, AgentSphereOperation expected)
    {
        Assert.True(AgentSphereOperations.TryParse(name, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lists")]
    [InlineData(" list")]
    public void TryParse_UnknownName_Fails(string? name)
    {
        Assert.False(AgentSphereOperations.TryParse(name, out var parsed));
        Assert.Equal(AgentSphereOperation.Other, parsed);
    }

    [Fact]
    public void Names_MatchTheDocumentedVocabulary()
    {
        Assert.Equal(
            ["other", "list", "find", "connect", "deploy", "monitor", "cleanup", "keepalive", "lifecycle", "health"],
            AgentSphereOperations.Names);
    }

    [Fact]
    public void GetName_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((AgentSphereOperation)99).GetName());
    }
}
