using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Cluster.Training.Lfb;

/// <summary>
/// Moves float spans to and from a stream as raw little-endian float32 or float16 bytes, whole spans at a time
/// (reinterpreted with MemoryMarshal, converted to and from float16 with the vectorised TensorPrimitives; byte-swapped
/// only on a big-endian host).
/// </summary>
internal sealed class LittleEndianValues
{
    private const int ChunkValues = 1 << 16;
    private readonly Half[] halves = new Half[ChunkValues];
    private readonly float[] swapped = BitConverter.IsLittleEndian ? [] : new float[ChunkValues];

    public void Write(Stream stream, ReadOnlySpan<float> values, FeatureBankDtype dtype)
    {
        for (int start = 0; start < values.Length; start += ChunkValues)
        {
            var chunk = values.Slice(start, Math.Min(ChunkValues, values.Length - start));
            if (dtype == FeatureBankDtype.Float16)
            {
                var half = halves.AsSpan(0, chunk.Length);
                TensorPrimitives.ConvertToHalf(chunk, half);
                var bits = MemoryMarshal.Cast<Half, ushort>(half);
                if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(bits, bits);
                stream.Write(MemoryMarshal.AsBytes(bits));
            }
            else if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(chunk));
            }
            else
            {
                var bits = MemoryMarshal.Cast<float, int>(swapped.AsSpan(0, chunk.Length));
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(chunk), bits);
                stream.Write(MemoryMarshal.AsBytes(bits));
            }
        }
    }

    /// <exception cref="EndOfStreamException">The stream ends before <paramref name="values"/> is filled.</exception>
    public void Read(Stream stream, Span<float> values, FeatureBankDtype dtype)
    {
        if (dtype == FeatureBankDtype.Float32)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(values));
            if (!BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, int>(values);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            return;
        }
        for (int start = 0; start < values.Length; start += ChunkValues)
        {
            var chunk = values.Slice(start, Math.Min(ChunkValues, values.Length - start));
            var half = halves.AsSpan(0, chunk.Length);
            var bits = MemoryMarshal.Cast<Half, ushort>(half);
            stream.ReadExactly(MemoryMarshal.AsBytes(bits));
            if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(bits, bits);
            TensorPrimitives.ConvertToSingle(half, chunk);
        }
    }
}
