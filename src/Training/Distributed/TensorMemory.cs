using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>
/// A contiguous CPU tensor's own storage as <see cref="Memory{T}"/>, without a copy: TorchSharp's
/// <c>Tensor.bytes</c> is a span over the native data pointer, which async code cannot hold, so this wraps that
/// pointer. The tensor must outlive every use of the memory (the owner keeps both).
/// </summary>
internal sealed unsafe class TensorMemory : MemoryManager<byte>
{
    private readonly Tensor tensor;
    private readonly byte* pointer;
    private readonly int length;

    public TensorMemory(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("only a contiguous CPU tensor exposes its memory", nameof(tensor));
        this.tensor = tensor;
        var bytes = tensor.bytes;
        pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
        length = bytes.Length;
    }

    public override Span<byte> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => GC.KeepAlive(tensor);
}
