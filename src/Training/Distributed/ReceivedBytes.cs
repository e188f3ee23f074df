using System.Numerics;
using System.Runtime.InteropServices;

namespace Cluster.Training.Distributed;

/// <summary>What a receive does with the bytes of its message in its target buffer.</summary>
public enum ReceiveOperation
{
    /// <summary>Adds the message's float32 elements to the target's (a reduce-scatter step).</summary>
    Add,

    /// <summary>Overwrites the target with the message (an all-gather step).</summary>
    Copy,
}

/// <summary>Applies received bytes to a receive's target, whole or a piece at a time as a message is read.</summary>
public static class ReceivedBytes
{
    /// <summary>Applies a whole message to <paramref name="target"/>, which must be exactly as long.</summary>
    public static void Apply(ReceiveOperation operation, Span<byte> target, ReadOnlySpan<byte> message, int fromRank, long tag)
    {
        if (message.Length != target.Length)
            throw new InvalidOperationException($"rank {fromRank} sent {message.Length} bytes for tag {tag:x}, expected {target.Length}");
        ApplyAt(operation, target, 0, message);
    }

    /// <summary>Applies <paramref name="piece"/>, the message's bytes from <paramref name="offset"/> on (a multiple
    /// of 4 when adding), to the same place in <paramref name="target"/>.</summary>
    public static void ApplyAt(ReceiveOperation operation, Span<byte> target, int offset, ReadOnlySpan<byte> piece)
    {
        var destination = target.Slice(offset, piece.Length);
        if (operation == ReceiveOperation.Copy)
        {
            piece.CopyTo(destination);
            return;
        }
        if (offset % sizeof(float) != 0 || piece.Length % sizeof(float) != 0)
            throw new ArgumentException($"a float32 sum needs whole elements, got bytes {offset}..{offset + piece.Length}");
        AddInto(MemoryMarshal.Cast<byte, float>(destination), MemoryMarshal.Cast<byte, float>(piece));
    }

    private static void AddInto(Span<float> target, ReadOnlySpan<float> source)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var targetVectors = MemoryMarshal.Cast<float, Vector<float>>(target);
            var sourceVectors = MemoryMarshal.Cast<float, Vector<float>>(source);
            for (int v = 0; v < targetVectors.Length; v++)
                targetVectors[v] += sourceVectors[v];
            i = targetVectors.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++)
            target[i] += source[i];
    }
}
