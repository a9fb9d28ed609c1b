using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace AgentSphere.Policies.Resilience;

/// <summary>What the gateway may retry: idempotent requests (GET, HEAD, OPTIONS, DELETE and the sandbox timeout call) after a transport failure or a 5xx, and any request whose connection failed before it was sent. Creates are never retried otherwise.</summary>
public static class RetryRules
{
    /// <summary>Whether sending the request twice has the effect of sending it once.</summary>
    public static bool IsIdempotent(string method, PathString path)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsDelete(method))
        {
            return true;
        }

        // POST /sandboxes/{id}/timeout sets an absolute timeout: the same call twice leaves the same state.
        return HttpMethods.IsPost(method) && path.Value is { } value && value.EndsWith("/timeout", StringComparison.Ordinal);
    }

    /// <summary>Whether an attempt that ended with <paramref name="outcome"/> may be tried again on another destination.</summary>
    public static bool MayRetry(AttemptOutcome outcome, bool idempotent) => outcome switch
    {
        AttemptOutcome.ConnectFailure => true,
        AttemptOutcome.TransportFailure or AttemptOutcome.ServerError or AttemptOutcome.AttemptTimedOut => idempotent,
        _ => false,
    };

    /// <summary>Whether a backend status is worth another destination: 500, 502, 503, 504 (not 501 or 505, which another backend would repeat).</summary>
    public static bool IsRetryableStatus(int status) => status is 500 or 502 or 503 or 504;

    /// <summary>Classifies a finished attempt from the forwarder's error and the response status.</summary>
    public static AttemptOutcome Classify(ForwarderError error, Exception? exception, int status, bool timedOut, bool clientGone)
    {
        if (timedOut || error == ForwarderError.RequestTimedOut)
        {
            return AttemptOutcome.TimedOut;
        }

        if (clientGone)
        {
            return AttemptOutcome.ClientGone;
        }

        switch (error)
        {
            case ForwarderError.None:
                return IsRetryableStatus(status) ? AttemptOutcome.ServerError : AttemptOutcome.Completed;
            case ForwarderError.NoAvailableDestinations:
                return AttemptOutcome.NoDestination;
            case ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
                or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient:
                return AttemptOutcome.ClientGone;
            case ForwarderError.Request when IsConnectFailure(exception):
                return AttemptOutcome.ConnectFailure;
            default:
                return AttemptOutcome.TransportFailure;
        }
    }

    /// <summary>Whether the exception says the connection was never made (so nothing was sent).</summary>
    public static bool IsConnectFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }

            if (current is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound })
            {
                return true;
            }
        }

        return false;
    }
}
