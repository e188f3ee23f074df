using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>
/// A float32 buffer in a garbage-collected array on the pinned object heap, seen both as a CPU tensor
/// (<c>torch.from_array</c> shares the array's memory) and as <see cref="Memory{T}"/> of bytes for the ring. Because
/// the array belongs to the garbage collector, anything still holding the memory (a transport's message abandoned
/// after a failed call) keeps it alive after the tensor was disposed: no read of freed memory, and no copy needed to
/// guarantee that (<see cref="CollectiveMemory.OutlivesItsOwner"/>).
/// </summary>
public sealed unsafe class PinnedFloatBuffer : MemoryManager<byte>
{
    private readonly float[] values;

    public PinnedFloatBuffer(long elements)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elements);
        if (elements > Array.MaxLength / sizeof(float))
            throw new ArgumentOutOfRangeException(nameof(elements), elements, "a bucket buffer must stay under 2 GiB");
        values = GC.AllocateUninitializedArray<float>((int)elements, pinned: true);
        Tensor = torch.from_array(values).DetachFromDisposeScope();
    }

    /// <summary>A 1-D float32 CPU tensor over the buffer (disposed with it).</summary>
    public Tensor Tensor { get; }

    public long Elements => values.LongLength;

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(values.AsSpan());

    // The array never moves (pinned object heap), so its address holds for as long as anyone has the memory.
    public override MemoryHandle Pin(int elementIndex = 0) =>
        new((byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(values)) + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Tensor.Dispose();
    }
}
