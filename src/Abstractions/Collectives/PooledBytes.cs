using System.Buffers;

namespace Cluster.Abstractions.Collectives;

/// <summary>
/// The first <c>length</c> bytes of an array rented from <see cref="ArrayPool{T}.Shared"/>; disposing returns the array
/// once (a second dispose does nothing), after which <see cref="Memory"/> must not be used.
/// </summary>
public sealed class PooledBytes : IMemoryOwner<byte>
{
    private byte[]? array;
    private readonly int length;

    public PooledBytes(byte[] rented, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)rented.Length, nameof(length));
        array = rented;
        this.length = length;
    }

    /// <summary>A pooled copy of <paramref name="bytes"/>.</summary>
    public static PooledBytes CopyOf(ReadOnlySpan<byte> bytes)
    {
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        return new PooledBytes(rented, bytes.Length);
    }

    public Memory<byte> Memory => array is { } own
        ? own.AsMemory(0, length)
        : throw new ObjectDisposedException(nameof(PooledBytes), "the pooled bytes were returned");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref array, null) is { } own)
            ArrayPool<byte>.Shared.Return(own);
    }
}
