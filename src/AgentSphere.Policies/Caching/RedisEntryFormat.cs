using System.Text;

namespace AgentSphere.Policies.Caching;

/// <summary>The value of a cached response in Redis: a version byte, the tags (count, then length-prefixed UTF-8 each, lengths as 7-bit varints), then the body.</summary>
/// <remarks>The tags travel with the body so a response promoted from Redis into the memory tiers can still be evicted by tag there.</remarks>
internal static class RedisEntryFormat
{
    private const byte Version = 1;
    private const int MaxTags = 10_000;

    /// <summary>Serializes <paramref name="body"/> with its <paramref name="tags"/>.</summary>
    public static byte[] Encode(byte[] body, string[] tags)
    {
        var length = 1 + VarIntLength(tags.Length) + body.Length;
        foreach (var tag in tags)
        {
            var tagBytes = Encoding.UTF8.GetByteCount(tag);
            length += VarIntLength(tagBytes) + tagBytes;
        }

        var buffer = new byte[length];
        buffer[0] = Version;
        var position = 1;
        position += WriteVarInt(buffer.AsSpan(position), tags.Length);
        foreach (var tag in tags)
        {
            position += WriteVarInt(buffer.AsSpan(position), Encoding.UTF8.GetByteCount(tag));
            position += Encoding.UTF8.GetBytes(tag, buffer.AsSpan(position));
        }

        body.CopyTo(buffer.AsSpan(position));
        return buffer;
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; false for anything else (another version, truncated, corrupt).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out byte[] body, out string[] tags)
    {
        body = [];
        tags = [];
        if (data.IsEmpty || data[0] != Version)
        {
            return false;
        }

        var position = 1;
        if (!TryReadVarInt(data, ref position, out var count) || count > MaxTags)
        {
            return false;
        }

        var read = count == 0 ? [] : new string[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadVarInt(data, ref position, out var tagLength) || tagLength > data.Length - position)
            {
                return false;
            }

            read[i] = Encoding.UTF8.GetString(data.Slice(position, tagLength));
            position += tagLength;
        }

        body = data[position..].ToArray();
        tags = read;
        return true;
    }

    private static int VarIntLength(int value)
    {
        var length = 1;
        for (var rest = (uint)value >> 7; rest != 0; rest >>= 7)
        {
            length++;
        }

        return length;
    }

    private static int WriteVarInt(Span<byte> destination, int value)
    {
        var rest = (uint)value;
        var written = 0;
        while (rest >= 0x80)
        {
            destination[written++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[written++] = (byte)rest;
        return written;
    }

    private static bool TryReadVarInt(ReadOnlySpan<byte> data, ref int position, out int value)
    {
        uint result = 0;
        for (var shift = 0; shift < 32; shift += 7)
        {
            if (position >= data.Length)
            {
                break;
            }

            var current = data[position++];
            result |= (uint)(current & 0x7F) << shift;
            if ((current & 0x80) == 0)
            {
                value = result <= int.MaxValue ? (int)result : -1;
                return value >= 0;
            }
        }

        value = 0;
        return false;
    }
}
