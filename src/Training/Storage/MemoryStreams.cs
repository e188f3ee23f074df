using System.Runtime.InteropServices;

namespace Cluster.Training.Storage;

internal static class MemoryStreams
{
    /// <summary>A read-only stream over <paramref name="content"/>, without copying when it is backed by an array.</summary>
    public static Stream Over(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
