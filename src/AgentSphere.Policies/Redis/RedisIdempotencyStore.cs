using System.Text.Json;
using AgentSphere.Policies.Resilience;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentSphere.Policies.Redis;

/// <summary>Idempotency records shared by every gateway instance, in Redis.</summary>
/// <remarks>
/// One string per caller and key, <c>{prefix}:idem:{callerId}:{sha256(key)}</c>. A claim is <c>SET NX PX lease</c> of
/// <c>P|{token}|{fingerprint}</c>, so of two instances racing exactly one wins; completing replaces that exact value with
/// <c>C|{json}</c> for the retention period, and releasing deletes it, both only while the claim is still the caller's (a script
/// compares the value), so a claim that outlived its lease can never overwrite another's. Methods throw on Redis errors
/// (<see cref="FailoverIdempotencyStore"/> handles them).
/// </remarks>
internal sealed class RedisIdempotencyStore(RedisConnection connection, IOptions<RedisOptions> options)
{
    private const string ReplaceIfScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          if ARGV[2] == '' then
            return redis.call('DEL', KEYS[1])
          end
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """;

    public string Prefix { get; } = options.Value.KeyPrefix;

    public bool TryGetDatabase(out IDatabase? database) => connection.TryGetDatabase(out database);

    public async ValueTask<IdempotencyClaim> TryClaimAsync(IDatabase database, string callerId, string key, string fingerprint, TimeSpan lease)
    {
        var redisKey = (RedisKey)RedisKeys.Idempotency(Prefix, callerId, key);
        while (true)
        {
            var token = Guid.NewGuid().ToString("N");
            if (await database.StringSetAsync(redisKey, Pending(token, fingerprint), lease, When.NotExists).ConfigureAwait(false))
            {
                return new IdempotencyClaim(IdempotencyState.Claimed, fingerprint, token, null);
            }

            var value = (string?)await database.StringGetAsync(redisKey).ConfigureAwait(false);
            if (value is null)
            {
                continue; // expired between the two calls: claim again
            }

            return Parse(value);
        }
    }

    public async ValueTask CompleteAsync(IDatabase database, string callerId, string key, string token, string fingerprint, IdempotentResponse response, TimeSpan retention)
    {
        var record = new Record(fingerprint, response.StatusCode, response.ContentType, response.Location, response.Body);
        var completed = "C|" + JsonSerializer.Serialize(record, RecordJson.Default.Record);
        await database.ScriptEvaluateAsync(
            ReplaceIfScript,
            [RedisKeys.Idempotency(Prefix, callerId, key)],
            [Pending(token, fingerprint), completed, (long)retention.TotalMilliseconds]).ConfigureAwait(false);
    }

    public async ValueTask ReleaseAsync(IDatabase database, string callerId, string key, string token, string fingerprint)
    {
        await database.ScriptEvaluateAsync(
            ReplaceIfScript,
            [RedisKeys.Idempotency(Prefix, callerId, key)],
            [Pending(token, fingerprint), string.Empty, 0]).ConfigureAwait(false);
    }

    private static string Pending(string token, string fingerprint) => string.Concat("P|", token, "|", fingerprint);

    internal static IdempotencyClaim Parse(string value)
    {
        if (value.StartsWith("P|", StringComparison.Ordinal))
        {
            var parts = value.Split('|', 3);
            return new IdempotencyClaim(IdempotencyState.InProgress, parts.Length == 3 ? parts[2] : string.Empty, null, null);
        }

        if (value.StartsWith("C|", StringComparison.Ordinal)
            && JsonSerializer.Deserialize(value.AsSpan(2), RecordJson.Default.Record) is { } record)
        {
            return new IdempotencyClaim(
                IdempotencyState.Completed,
                record.Fingerprint,
                null,
                new IdempotentResponse(record.Status, record.ContentType, record.Location, record.Body));
        }

        throw new RedisException("An idempotency record in Redis has an unknown format.");
    }

    internal sealed record Record(string Fingerprint, int Status, string? ContentType, string? Location, byte[] Body);
}
