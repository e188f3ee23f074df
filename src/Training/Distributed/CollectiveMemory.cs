using System.Runtime.InteropServices;

namespace Cluster.Training.Distributed;

/// <summary>What a transport may assume about the memory a collective hands it.</summary>
public static class CollectiveMemory
{
    /// <summary>
    /// True when <paramref name="memory"/> is kept alive by the garbage collector for as long as anything references it
    /// (a managed array, a <see cref="PinnedFloatBuffer"/>): a transport may then send it without a copy, even though
    /// a failed or abandoned call may still read it after the collective has given up (it reads stale values then,
    /// which only reach a generation that was abandoned). Native memory (a tensor's own storage) is freed when its run
    /// fails, so a transport must copy it before the send completes.
    /// </summary>
    public static bool OutlivesItsOwner(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out _) || MemoryMarshal.TryGetMemoryManager<byte, PinnedFloatBuffer>(memory, out _);
}
