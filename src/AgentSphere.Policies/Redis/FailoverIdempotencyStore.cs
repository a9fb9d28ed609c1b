using AgentSphere.Policies.Resilience;

namespace AgentSphere.Policies.Redis;

/// <summary>Idempotency records in Redis while it is reachable, in this instance's memory while it is not.</summary>
/// <remarks>
/// A key claimed or completed locally during an outage is unknown to the other instances: a repeat sent to another instance then may
/// execute again. That is the one gap, and the price of never refusing creates because Redis is down. A claim is completed or released
/// in the store that made it.
/// </remarks>
internal sealed class FailoverIdempotencyStore(RedisConnection connection, RedisIdempotencyStore shared, InMemoryIdempotencyStore local) : IIdempotencyStore
{
    private const string LocalTokenPrefix = "local:";

    public async ValueTask<IdempotencyClaim> TryClaimAsync(string callerId, string key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (connection.TryGetDatabase(out var database))
        {
            try
            {
                var claim = await shared.TryClaimAsync(database, callerId, key, fingerprint, lease);
                connection.ReportSuccess();
                return claim;
            }
            catch (Exception ex) when (RedisFailures.IsRedisFailure(ex))
            {
                connection.ReportFailure(ex);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        var localClaim = await local.TryClaimAsync(callerId, key, fingerprint, lease, cancellationToken);
        return localClaim.Token is null ? localClaim : localClaim with { Token = LocalTokenPrefix + localClaim.Token };
    }

    public async ValueTask CompleteAsync(string callerId, string key, string token, string fingerprint, IdempotentResponse response, TimeSpan retention)
    {
        if (token.StartsWith(LocalTokenPrefix, StringComparison.Ordinal))
        {
            await local.CompleteAsync(callerId, key, token[LocalTokenPrefix.Length..], fingerprint, response, retention);
            return;
        }

        if (connection.TryGetDatabaseForCleanup(out var database))
        {
            try
            {
                await shared.CompleteAsync(database, callerId, key, token, fingerprint, response, retention);
                return;
            }
            catch (Exception ex) when (RedisFailures.IsRedisFailure(ex))
            {
                connection.ReportFailure(ex);
            }
        }

        // The claim stays in Redis until its lease ends; meanwhile repeats wait, then may run again. Remembered here too, so
        // repeats on this instance still get the response.
        var fallback = await local.TryClaimAsync(callerId, key, fingerprint, TimeSpan.FromSeconds(1), CancellationToken.None);
        if (fallback.Token is { } localToken)
        {
            await local.CompleteAsync(callerId, key, localToken, fingerprint, response, retention);
        }
    }

    public async ValueTask ReleaseAsync(string callerId, string key, string token)
    {
        if (token.StartsWith(LocalTokenPrefix, StringComparison.Ordinal))
        {
            await local.ReleaseAsync(callerId, key, token[LocalTokenPrefix.Length..]);
            return;
        }

        // Release needs the fingerprint to match the claim's exact value; the caller's token is enough to find it.
        if (connection.TryGetDatabaseForCleanup(out var database))
        {
            try
            {
                var value = (string?)await database.StringGetAsync(RedisKeys.Idempotency(shared.Prefix, callerId, key));
                if (value is not null && value.StartsWith("P|" + token + "|", StringComparison.Ordinal))
                {
                    await shared.ReleaseAsync(database, callerId, key, token, value[(token.Length + 3)..]);
                }
            }
            catch (Exception ex) when (RedisFailures.IsRedisFailure(ex))
            {
                // The claim expires with its lease.
                connection.ReportFailure(ex);
            }
        }
    }
}
