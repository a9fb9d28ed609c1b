using System.Security.Cryptography;
using AgentSphere.Gateway.Admission;
using AgentSphere.Gateway.Limits;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Operations;
using AgentSphere.Policies.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace AgentSphere.Gateway.Resilience;

/// <summary>
/// Executes a create (<c>POST /sandboxes</c>) that carries an <c>Idempotency-Key</c> at most once per caller and key for the
/// retention period: a repeat gets the first response (with <c>Idempotent-Replayed: true</c>), waits while the first is still
/// running, and gets 422 when its body differs. Without the header nothing changes (and creates are never retried).
/// </summary>
/// <remarks>
/// It runs before admission, so a repeat takes no concurrency slot and no quota. The key is released, so a repeat may run, only when
/// the gateway knows the create never reached a backend (refused by admission, no destination, or no connection could be opened); any other outcome, a 5xx or a cut connection included, is what the key answers from then on,
/// because the sandbox may exist. A claim whose gateway died is taken over after <see cref="ResilienceOptions.IdempotencyLease"/>.
/// </remarks>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IIdempotencyStore store,
    IOptionsMonitor<ResilienceOptions> options,
    TimeProvider timeProvider,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 255;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        return !HttpMethods.IsPost(request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<OperationMetadata>()?.Operation != AgentSphereOperation.Deploy
            || !request.Headers.TryGetValue(HeaderName, out var values)
            ? next(context)
            : InvokeWithKeyAsync(context, values);
    }

    private async Task InvokeWithKeyAsync(HttpContext context, StringValues values)
    {
        var request = context.Request;
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x20 || c > 0x7E))
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                $"Send one {HeaderName} of 1 to {MaxKeyLength} printable ASCII characters.", "idempotency-key-invalid");
            return;
        }

        var callerId = context.Features.Get<ICallerIdentityFeature>()?.CallerId;
        if (callerId is null)
        {
            await next(context);
            return;
        }

        var settings = options.CurrentValue;
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context, settings.IdempotencyMaxBodyBytes);
        }
        catch (BadHttpRequestException ex) when (RequestLimitProblems.IsBodyTooLarge(ex))
        {
            // The create's own body limit (Gateway:Limits) is the lower one: the same 413 as without the header.
            await RequestLimitProblems.WritePayloadTooLargeAsync(context);
            return;
        }

        if (body is null)
        {
            await RequestLimitProblems.WritePayloadTooLargeAsync(context, settings.IdempotencyMaxBodyBytes, "Resilience:IdempotencyMaxBodyBytes");
            return;
        }

        var fingerprint = Fingerprint(request.Path, body);
        var deadline = timeProvider.GetTimestamp() + (long)(settings.IdempotencyLease.TotalSeconds * timeProvider.TimestampFrequency);
        while (true)
        {
            var claim = await store.TryClaimAsync(callerId, key, fingerprint, settings.IdempotencyLease, context.RequestAborted);
            if (claim.State != IdempotencyState.Claimed && !string.Equals(claim.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                await GatewayProblems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"This {HeaderName} was first used with a different request; use a new key for a different create.", "idempotency-key-reused");
                return;
            }

            switch (claim.State)
            {
                case IdempotencyState.Completed:
                    await ReplayAsync(context, claim.Response!);
                    return;
                case IdempotencyState.Claimed:
                    await ExecuteAsync(context, callerId, key, claim.Token!, fingerprint, settings);
                    return;
            }

            // Still running elsewhere: wait for its answer, as long as its lease could last.
            if (timeProvider.GetTimestamp() > deadline)
            {
                context.Response.Headers.RetryAfter = "1";
                await GatewayProblems.WriteAsync(context, StatusCodes.Status409Conflict, "Create still in progress",
                    $"A create with this {HeaderName} is still running; repeat it later to get its response.", "idempotency-in-progress");
                return;
            }

            await Task.Delay(PollInterval, timeProvider, context.RequestAborted);
        }
    }

    private async Task ExecuteAsync(HttpContext context, string callerId, string key, string token, string fingerprint, ResilienceOptions settings)
    {
        var original = context.Response.Body;
        var capture = new CapturingStream(original, settings.IdempotencyMaxResponseBytes);
        context.Response.Body = capture;
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            context.Response.Body = original;
            if (completed && !NeverReachedABackend(context) && !BackendRefused(context.Response.StatusCode))
            {
                var headers = context.Response.Headers;
                var response = new IdempotentResponse(
                    context.Response.StatusCode,
                    headers.ContentType.ToString() is { Length: > 0 } type ? type : null,
                    headers.Location.ToString() is { Length: > 0 } location ? location : null,
                    capture.Captured);
                if (capture.Truncated)
                {
                    Log.ResponseTooLarge(logger, settings.IdempotencyMaxResponseBytes);
                }

                await store.CompleteAsync(callerId, key, token, fingerprint, response, settings.IdempotencyRetention);
            }
            else
            {
                await store.ReleaseAsync(callerId, key, token);
            }
        }
    }

    /// <summary>
    /// Whether the backend turned the create away without doing any work: any 4xx (a key it does not know, a body it rejects, no room
    /// for this caller now) or a 503 (no room at all). Such an answer is not remembered: the caller's retry with the same key runs and
    /// gets the same answer or, once the cause is gone, its sandbox; and neither made-up API keys nor a stream of rejected bodies under
    /// fresh keys can fill the store with a day's worth of refusals. Only answers after which a sandbox may exist (2xx, a 5xx, a
    /// timeout) are kept, and successful creates are bounded by the daily quota.
    /// </summary>
    private static bool BackendRefused(int status) => status is (>= 400 and < 500) or StatusCodes.Status503ServiceUnavailable;

    /// <summary>Whether the gateway knows the create was never sent: refused before forwarding (admission, no destination), or no connection could be opened.</summary>
    private static bool NeverReachedABackend(HttpContext context)
    {
        if (context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is null)
        {
            return true;
        }

        var error = context.Features.Get<IForwarderErrorFeature>();
        return error is not null
            && (error.Error == ForwarderError.NoAvailableDestinations
                || (error.Error == ForwarderError.Request && RetryRules.IsConnectFailure(error.Exception)));
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        if (response.ContentType is { } type)
        {
            context.Response.ContentType = type;
        }

        if (response.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        context.Response.Headers[ReplayedHeader] = "true";
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int limit)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return null;
        }

        request.EnableBuffering(bufferThreshold: Math.Min(limit, 64 * 1024), bufferLimit: limit);
        using var copy = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(copy, context.RequestAborted);
        }
        catch (IOException) when (request.Body.Length > limit)
        {
            return null;
        }

        request.Body.Position = 0;
        return copy.ToArray();
    }

    private static string Fingerprint(PathString path, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(path.Value ?? string.Empty));
        hash.AppendData([0]);
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.GatewayEventIds.IdempotentResponseTruncated, LogLevel.Warning, "A create's response passed Resilience:IdempotencyMaxResponseBytes ({Limit} bytes); repeats of its Idempotency-Key replay the first part only")]
        public static partial void ResponseTooLarge(ILogger logger, int limit);
    }

    /// <summary>Passes writes through and keeps a copy of the first bytes.</summary>
    private sealed class CapturingStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public byte[] Captured => _copy.ToArray();

        public bool Truncated { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> data)
        {
            var room = limit - (int)_copy.Length;
            if (data.Length > room)
            {
                Truncated = true;
            }

            if (room > 0)
            {
                _copy.Write(data[..Math.Min(room, data.Length)]);
            }
        }
    }
}
