using System.Net.Sockets;
using AgentSphere.Policies.Resilience;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace AgentSphere.Policies.Tests.Resilience;

public sealed class RetryRulesTests
{
    [Theory]
    [InlineData("GET", "/sandboxes", true)]
    [InlineData("HEAD", "/health", true)]
    [InlineData("DELETE", "/sandboxes/abc", true)]
    [InlineData("POST", "/sandboxes/abc/timeout", true)]
    [InlineData("POST", "/sandboxes", false)]
    [InlineData("POST", "/sandboxes/abc/refreshes", false)]
    [InlineData("POST", "/sandboxes/abc/pause", false)]
    [InlineData("PUT", "/sandboxes/abc/files", false)]
    public void IsIdempotent_MethodAndPath(string method, string path, bool expected) =>
        Assert.Equal(expected, RetryRules.IsIdempotent(method, new PathString(path)));

    [Theory]
    [InlineData(AttemptOutcome.ConnectFailure, false, true)]   // never sent: any method
    [InlineData(AttemptOutcome.TransportFailure, false, false)] // may have been sent: a create is never repeated
    [InlineData(AttemptOutcome.TransportFailure, true, true)]
    [InlineData(AttemptOutcome.ServerError, false, false)]
    [InlineData(AttemptOutcome.ServerError, true, true)]
    [InlineData(AttemptOutcome.AttemptTimedOut, true, true)]   // a slow attempt of a read: try another backend
    [InlineData(AttemptOutcome.AttemptTimedOut, false, false)]
    [InlineData(AttemptOutcome.TimedOut, true, false)]
    [InlineData(AttemptOutcome.NoDestination, true, false)]
    [InlineData(AttemptOutcome.ClientGone, true, false)]
    [InlineData(AttemptOutcome.Completed, true, false)]
    public void MayRetry_OutcomeAndIdempotency(AttemptOutcome outcome, bool idempotent, bool expected) =>
        Assert.Equal(expected, RetryRules.MayRetry(outcome, idempotent));

    [Fact]
    public void Classify_ConnectionRefused_IsAConnectFailure()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));

        Assert.Equal(AttemptOutcome.ConnectFailure, RetryRules.Classify(ForwarderError.Request, refused, 502, timedOut: false, clientGone: false));
        Assert.Equal(AttemptOutcome.TransportFailure, RetryRules.Classify(ForwarderError.Request, new IOException("reset"), 502, timedOut: false, clientGone: false));
    }

    [Theory]
    [InlineData(500, AttemptOutcome.ServerError)]
    [InlineData(503, AttemptOutcome.ServerError)]
    [InlineData(501, AttemptOutcome.Completed)]
    [InlineData(404, AttemptOutcome.Completed)]
    [InlineData(201, AttemptOutcome.Completed)]
    public void Classify_BackendStatus(int status, AttemptOutcome expected) =>
        Assert.Equal(expected, RetryRules.Classify(ForwarderError.None, null, status, timedOut: false, clientGone: false));

    [Fact]
    public void Classify_TimeoutWinsOverEverythingElse() =>
        Assert.Equal(AttemptOutcome.TimedOut, RetryRules.Classify(ForwarderError.RequestCanceled, null, 502, timedOut: true, clientGone: true));
}
