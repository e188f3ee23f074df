using System.Buffers;

namespace Cluster.Silo.Hosting;

/// <summary>
/// A <see cref="MemoryPool{T}"/> whose blocks are exactly <c>blockBytes</c> long (or as long as asked, when more),
/// backed by arrays of the shared array pool (which may be longer: a block is a slice of one). A pipe fills the whole
/// block it is given, so a socket reading into such a pipe reads up to a block per system call.
/// </summary>
internal sealed class LargeBlockMemoryPool(int blockBytes) : MemoryPool<byte>
{
    public int BlockBytes { get; } = blockBytes > 0 ? blockBytes : throw new ArgumentOutOfRangeException(nameof(blockBytes));

    public override int MaxBufferSize => Array.MaxLength;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        int length = Math.Max(minBufferSize, BlockBytes);
        return new Block(ArrayPool<byte>.Shared.Rent(length), length);
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Block(byte[] array, int length) : IMemoryOwner<byte>
    {
        private byte[]? array = array;

        public Memory<byte> Memory => array?.AsMemory(0, length) ?? throw new ObjectDisposedException(nameof(LargeBlockMemoryPool));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref array, null) is { } returned)
                ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
