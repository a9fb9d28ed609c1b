using System.Buffers;

namespace AgentSphere.Policies.Tests.Caching;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as the output cache middleware hands to the store.</summary>
internal sealed class TestSequence : ReadOnlySequenceSegment<byte>
{
    private TestSequence(byte[] memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence with one segment per array.</summary>
    public static ReadOnlySequence<byte> Of(byte[] first, params byte[][] rest)
    {
        var head = new TestSequence(first, 0);
        var tail = head;
        foreach (var memory in rest)
        {
            var next = new TestSequence(memory, tail.RunningIndex + tail.Memory.Length);
            tail.Next = next;
            tail = next;
        }

        return new ReadOnlySequence<byte>(head, 0, tail, tail.Memory.Length);
    }
}
