using System.Text.Json.Serialization;

namespace AgentSphere.Policies.Redis;

/// <summary>Source-generated JSON for the records the gateway keeps in Redis.</summary>
[JsonSerializable(typeof(RedisIdempotencyStore.Record))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RecordJson : JsonSerializerContext;
