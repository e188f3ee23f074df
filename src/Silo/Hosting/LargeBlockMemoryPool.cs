using System.Buffers;

namespace Cluster.Silo.Hosting;

/// <summary>
/// A <see cref="MemoryPool{T}"/> whose blocks are at least <c>blockBytes</c> long, rented from the shared array pool.
/// A pipe fills the whole block it is given, so a socket reading into such a pipe reads up to a block per system call.
/// </summary>
internal sealed class LargeBlockMemoryPool(int blockBytes) : MemoryPool<byte>
{
    public int BlockBytes { get; } = blockBytes > 0 ? blockBytes : throw new ArgumentOutOfRangeException(nameof(blockBytes));

    public override int MaxBufferSize => Array.MaxLength;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1) =>
        new Block(ArrayPool<byte>.Shared.Rent(Math.Max(minBufferSize, BlockBytes)));

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Block(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? array = array;

        public Memory<byte> Memory => array ?? throw new ObjectDisposedException(nameof(LargeBlockMemoryPool));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref array, null) is { } returned)
                ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
